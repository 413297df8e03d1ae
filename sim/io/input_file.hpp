#pragma once

#include <cstdint>
#include <string>

namespace popex {

/**
 * Reads a whole user-provided input file. Only a regular file is read: a FIFO would block forever and a device such
 * as /dev/zero never ends. It is opened without blocking and read to at most `max_bytes` (one byte more tells that
 * it grew). Throws ConfigError, one line naming the path and the WHAT:
 * `PATH: cannot open WHAT file (No such file or directory)`, `PATH: WHAT file must be a regular file (got a FIFO)`,
 * `PATH: WHAT file must be at most N bytes (got M bytes)`.
 */
std::string read_input_file(const std::string& path, const std::string& what, std::uintmax_t max_bytes);

/** The kind of a file that is not a regular one, for messages: "a directory", "a FIFO", "a character device"... */
std::string describe_file_type(const std::string& path);

} // namespace popex
