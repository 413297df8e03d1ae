#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace popex {

/** A 1-based line and byte column in the scanned text. */
struct XmlPos {
  int line = 0; //!< 1-based line
  int col  = 0; //!< 1-based byte column
};

/** One attribute of a start tag, its value with the entities decoded. */
struct XmlAttribute {
  std::string name;
  std::string value;
  XmlPos name_pos;  //!< first character of the name
  XmlPos value_pos; //!< first character inside the quotes
};

/** A start tag, `<name a="v" ...>` or `<name .../>`. */
struct XmlStartTag {
  std::string name;
  XmlPos pos;                           //!< the '<'
  std::vector<XmlAttribute> attributes; //!< in file order, names unique
  bool self_closing = false;            //!< written `<name .../>`

  /** The attribute called `attribute`, or nullptr. */
  const XmlAttribute* find(std::string_view attribute) const;
};

/** What the scanner reports, in file order. Handlers throw ConfigError to stop the scan. */
class XmlHandler {
public:
  virtual ~XmlHandler() = default;
  /** A `<!DOCTYPE ...>` declaration, its whole text from '<' to '>'. */
  virtual void on_doctype(std::string_view text, const XmlPos& pos) = 0;
  /** A start tag; a self-closing one is followed at once by on_end(). */
  virtual void on_start(const XmlStartTag& tag) = 0;
  /** The end of the element opened by the matching on_start(). */
  virtual void on_end(const XmlPos& pos) = 0;
};

/** Deepest element nesting scan_xml() accepts: deeper files are refused rather than scanned. */
inline constexpr int max_xml_depth = 100;

/** Most attributes of one tag (SimGrid's elements have at most 19): more would make the scan quadratic. */
inline constexpr std::size_t max_xml_attributes = 64;

/**
 * Scans `text` as the XML subset that SimGrid 3.32's platform parser (FleXML) reads, and reports its markup to
 * `handler`: an optional prolog of comments, processing instructions (`<?xml ...?>`) and one DOCTYPE, then one root
 * element, then comments and processing instructions. Elements hold attributes and child elements, never text (only
 * blanks between tags), CDATA or a DTD internal subset. Attribute values take `&amp; &lt; &gt; &quot; &apos;` and
 * character references to printable ASCII (`&#65;`, `&#x41;`).
 *
 * Throws ConfigError "FILE:LINE:COL: CONTEXT: XML syntax error: WHAT" at the first byte that breaks these rules:
 * NUL and other control bytes (but tab, CR, LF), a byte-order mark, unclosed markup, mismatched end tags, text
 * between elements, unknown entities, a repeated attribute, more than max_xml_attributes in a tag, nesting deeper
 * than max_xml_depth. Positions count lines from 1 and bytes within a line from 1. Time and memory are linear in the
 * size of `text`.
 */
void scan_xml(std::string_view text, const std::string& file, const std::string& context, XmlHandler& handler);

/**
 * `text` made safe to quote in a one-line message: control bytes become `\xNN`, and more than `max_bytes` bytes are
 * cut with "...".
 */
std::string printable(std::string_view text, std::size_t max_bytes = 80);

} // namespace popex
