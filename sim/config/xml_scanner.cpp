#include "config/xml_scanner.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace popex {

const XmlAttribute* XmlStartTag::find(std::string_view attribute) const
{
  const auto it = std::find_if(attributes.begin(), attributes.end(),
                               [attribute](const XmlAttribute& a) { return a.name == attribute; });
  return it == attributes.end() ? nullptr : &*it;
}

std::string printable(std::string_view text, std::size_t max_bytes)
{
  std::string out;
  for (const char c : text.substr(0, max_bytes)) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte < 0x20 || byte == 0x7F ? fmt::format("\\x{:02x}", byte) : std::string(1, c);
  }
  return text.size() > max_bytes ? out + "..." : out;
}

namespace {

bool is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_name_start(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

bool is_name_char(char c)
{
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

struct Entity {
  std::string_view name;
  char value;
};
constexpr std::array<Entity, 5> ENTITIES{{{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}}};

class Scanner {
public:
  Scanner(std::string_view text, const std::string& file, const std::string& context, XmlHandler& handler)
      : text_(text), file_(file), context_(context), handler_(handler)
  {
  }

  void run()
  {
    check_bytes();
    skip_misc(true);
    if (at_end())
      fail(pos_, "the file has no root element");
    start_tag();
    while (!open_.empty())
      content();
    skip_misc(false);
    if (!at_end())
      fail(pos_, fmt::format("nothing but comments may follow the root element </{}> (got '{}')", root_,
                             printable(text_.substr(at_), 20)));
  }

private:
  std::string_view text_;
  const std::string& file_;
  const std::string& context_;
  XmlHandler& handler_;
  std::size_t at_ = 0;
  XmlPos pos_{1, 1};
  bool doctype_seen_ = false;
  std::string root_;
  std::vector<std::pair<std::string, XmlPos>> open_; // elements not yet closed, outermost first

  [[noreturn]] void fail(const XmlPos& pos, const std::string& what) const
  {
    fail_at({file_, pos.line, pos.col}, fmt::format("{}: XML syntax error: {}", context_, what));
  }

  bool at_end() const { return at_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[at_]; }
  bool starts_with(std::string_view s) const { return text_.substr(at_).substr(0, s.size()) == s; }

  void advance(std::size_t n = 1)
  {
    for (; n > 0 && !at_end(); --n, ++at_) {
      if (text_[at_] == '\n') {
        ++pos_.line;
        pos_.col = 1;
      } else {
        ++pos_.col;
      }
    }
  }

  /** Binary content is refused up front, so that the grammar below only meets text. */
  void check_bytes()
  {
    if (starts_with("\xEF\xBB\xBF"))
      fail(pos_, "the file must not start with a byte-order mark (SimGrid's parser refuses it)");
    XmlPos p{1, 1};
    for (const char c : text_) {
      const auto byte = static_cast<unsigned char>(c);
      if ((byte < 0x20 && !is_blank(c)) || byte == 0x7F)
        fail(p, fmt::format("file must be text (got byte 0x{:02x})", byte));
      p = c == '\n' ? XmlPos{p.line + 1, 1} : XmlPos{p.line, p.col + 1};
    }
  }

  void skip_blanks()
  {
    while (!at_end() && is_blank(peek()))
      advance();
  }

  /** Skips `open` ... `close` (at least `open` long: "<!-->" is no comment), or fails at its start. */
  void skip_past(std::string_view open, std::string_view close, const std::string& unclosed)
  {
    const XmlPos start    = pos_;
    const std::size_t end = text_.find(close, at_ + open.size());
    if (end == std::string_view::npos)
      fail(start, unclosed);
    advance(end + close.size() - at_);
  }

  /** Blanks, comments and processing instructions; in the prolog also the DOCTYPE. */
  void skip_misc(bool prolog)
  {
    for (;;) {
      skip_blanks();
      if (starts_with("<!--"))
        skip_past("<!--", "-->", "the comment is not closed (missing -->)");
      else if (starts_with("<?"))
        skip_past("<?", "?>", "the processing instruction is not closed (missing ?>)");
      else if (prolog && starts_with("<!DOCTYPE"))
        doctype();
      else if (starts_with("<!"))
        fail(pos_, fmt::format("'<!' must start a comment <!-- -->{} (got '{}')", prolog ? " or the DOCTYPE" : "",
                               printable(text_.substr(at_), 12)));
      else if (!at_end() && peek() != '<')
        fail_text();
      else
        return;
    }
  }

  void doctype()
  {
    if (doctype_seen_)
      fail(pos_, "the DOCTYPE must be given once");
    doctype_seen_         = true;
    const XmlPos start    = pos_;
    const std::size_t end = text_.find('>', at_);
    if (end == std::string_view::npos)
      fail(start, "the DOCTYPE is not closed (missing >)");
    const std::string_view decl = text_.substr(at_, end + 1 - at_);
    advance(decl.size());
    handler_.on_doctype(decl, start);
  }

  [[noreturn]] void fail_text() const
  {
    const std::string_view rest = text_.substr(at_);
    const std::string_view text = rest.substr(0, rest.find_first_of("<\n"));
    fail(pos_, fmt::format("text is not allowed {} (got '{}')",
                           open_.empty() ? "outside the root element" : "between elements", printable(text, 40)));
  }

  std::string read_name()
  {
    const std::size_t from = at_;
    if (is_name_start(peek()))
      while (!at_end() && is_name_char(peek()))
        advance();
    return std::string(text_.substr(from, at_ - from));
  }

  /** What follows the element's start tag: blanks, comments, child elements, its end tag. */
  void content()
  {
    skip_misc(false);
    if (at_end())
      fail(pos_, fmt::format("the file ends inside <{}> (opened at {}:{}): </{}> expected", open_.back().first,
                             open_.back().second.line, open_.back().second.col, open_.back().first));
    if (starts_with("</"))
      end_tag();
    else
      start_tag();
  }

  void start_tag()
  {
    XmlStartTag tag;
    tag.pos = pos_;
    advance();
    tag.name = read_name();
    if (tag.name.empty())
      fail(tag.pos, fmt::format("'<' must start a tag, a comment or a processing instruction (got '{}')",
                                printable(text_.substr(at_), 12)));
    read_attributes(tag);
    if (!tag.self_closing && static_cast<int>(open_.size()) >= max_xml_depth)
      fail(tag.pos, fmt::format("elements must nest at most {} deep (got <{}> deeper)", max_xml_depth, tag.name));
    if (open_.empty())
      root_ = tag.name;
    handler_.on_start(tag);
    if (tag.self_closing)
      handler_.on_end(pos_);
    else
      open_.emplace_back(tag.name, tag.pos);
  }

  void read_attributes(XmlStartTag& tag)
  {
    for (;;) {
      skip_blanks();
      if (at_end())
        fail(tag.pos, fmt::format("the tag <{}> is not closed (missing >)", tag.name));
      if (starts_with("/>")) {
        tag.self_closing = true;
        advance(2);
        return;
      }
      if (peek() == '>') {
        advance();
        return;
      }
      if (!is_name_start(peek()))
        fail(pos_, fmt::format("unexpected '{}' in the tag <{}>", printable(text_.substr(at_, 1)), tag.name));
      if (tag.attributes.size() == max_xml_attributes)
        fail(pos_, fmt::format("the tag <{}> must have at most {} attributes", tag.name, max_xml_attributes));
      XmlAttribute a = read_attribute();
      if (const XmlAttribute* first = tag.find(a.name))
        fail(a.name_pos, fmt::format("attribute {} must be given once in <{}> (first at {}:{})", a.name, tag.name,
                                     first->name_pos.line, first->name_pos.col));
      tag.attributes.push_back(std::move(a));
    }
  }

  XmlAttribute read_attribute()
  {
    XmlAttribute a;
    a.name_pos = pos_;
    a.name     = read_name();
    skip_blanks();
    const bool eq = peek() == '=';
    advance(eq ? 1 : 0);
    skip_blanks();
    const char quote = peek();
    if (!eq || (quote != '"' && quote != '\''))
      fail(a.name_pos, fmt::format("attribute {} must be followed by = and a quoted value", a.name));
    advance();
    a.value_pos = pos_;
    for (;;) {
      if (at_end())
        fail(a.value_pos, fmt::format("the value of attribute {} is not closed (missing {})", a.name, quote));
      const char c = peek();
      if (c == quote)
        break;
      if (c == '<')
        fail(pos_, fmt::format("'<' is not allowed in the value of attribute {} (write &lt;)", a.name));
      if (c == '&') {
        a.value += entity();
      } else {
        a.value += c;
        advance();
      }
    }
    advance();
    return a;
  }

  [[noreturn]] void fail_entity(std::size_t length, const std::string& rule) const
  {
    fail(pos_, fmt::format("{} (got '{}')", rule, printable(text_.substr(at_, std::min<std::size_t>(length + 2, 14)))));
  }

  /** Decodes the entity at '&' and moves past its ';'. */
  char entity()
  {
    static const std::string rule = "'&' must start an entity: &amp; &lt; &gt; &quot; &apos; or &#N;";
    // The longest entity is &#x0000000A; (12 bytes): no need to look further for its ';'.
    const std::size_t semi = text_.substr(at_, 12).find(';');
    if (semi == std::string_view::npos || semi == 1)
      fail_entity(0, rule);
    const std::size_t length    = semi - 1;
    const std::string_view name = text_.substr(at_ + 1, length);
    char value                  = '\0';
    if (name.front() == '#') {
      const bool hex            = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      const std::string_view ds = name.substr(hex ? 2 : 1);
      unsigned code             = 0;
      const auto [end, ec]      = std::from_chars(ds.data(), ds.data() + ds.size(), code, hex ? 16 : 10);
      const bool ascii          = code == '\t' || code == '\n' || code == '\r' || (code >= 0x20 && code < 0x7F);
      if (ds.empty() || ec != std::errc() || end != ds.data() + ds.size() || !ascii)
        fail_entity(length, "a character reference must name a printable ASCII character, such as &#65; or &#x41;");
      value = static_cast<char>(code);
    } else {
      const auto it =
          std::find_if(ENTITIES.begin(), ENTITIES.end(), [name](const Entity& e) { return e.name == name; });
      if (it == ENTITIES.end())
        fail_entity(length, rule);
      value = it->value;
    }
    advance(length + 2);
    return value;
  }

  void end_tag()
  {
    const XmlPos start = pos_;
    advance(2);
    const std::string name = read_name();
    skip_blanks();
    if (peek() != '>')
      fail(start, fmt::format("the end tag </{}> is not closed (missing >)", name));
    advance();
    const auto& [open, opened_at] = open_.back();
    if (name != open)
      fail(start, fmt::format("the end tag </{}> does not match <{}> (opened at {}:{})", name, open, opened_at.line,
                              opened_at.col));
    open_.pop_back();
    handler_.on_end(start);
  }
};

} // namespace

void scan_xml(std::string_view text, const std::string& file, const std::string& context, XmlHandler& handler)
{
  Scanner(text, file, context, handler).run();
}

} // namespace popex
