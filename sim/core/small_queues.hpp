#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace popex {

/**
 * The last `capacity` values, oldest first: a ring over one vector that allocates nothing until the first push.
 * Every device keeps several of these (its rate samples, each branch's exits): a std::deque allocates 576 bytes when
 * it is built, even empty, and another block each time it crosses one (docs/performance.md, section 8).
 */
template <typename T>
class SlidingWindow {
public:
  explicit SlidingWindow(std::size_t capacity) : capacity_(capacity) {}

  /** Appends `value`; returns the oldest value, which fell out, once the window was full. */
  std::optional<T> push(T value)
  {
    if (capacity_ == 0)
      return value;
    if (items_.size() < capacity_) {
      items_.push_back(value);
      return std::nullopt;
    }
    T out         = items_[oldest_];
    items_[oldest_] = value;
    oldest_       = oldest_ + 1 == capacity_ ? 0 : oldest_ + 1;
    return out;
  }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  /** Calls f(value) from the oldest to the newest, stopping when f returns false. */
  template <typename F>
  void for_each(F f) const
  {
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const std::size_t j = oldest_ + i < items_.size() ? oldest_ + i : oldest_ + i - items_.size();
      if (!f(static_cast<T>(items_[j])))
        return;
    }
  }

private:
  std::size_t capacity_;
  std::vector<T> items_;
  std::size_t oldest_ = 0; //!< once full: where the oldest value is (and the next push goes)
};

/**
 * A first-in first-out queue over one vector that allocates nothing until the first push, for the short queues each
 * device keeps (images waiting for its processor or its uplink, finished images waiting for their energy). Popped
 * slots are reclaimed when the queue empties, or when they are more than half of the vector.
 */
template <typename T>
class Fifo {
public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  T& front() { return items_[head_]; }
  const T& front() const { return items_[head_]; }
  void push_back(T value) { items_.push_back(std::move(value)); }
  void pop_front()
  {
    ++head_;
    if (head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    } else if (2 * head_ > items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

private:
  std::vector<T> items_;
  std::size_t head_ = 0; //!< the front's index
};

} // namespace popex
