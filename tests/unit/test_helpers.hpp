#pragma once

#include "core/config_error.hpp"

#include <gtest/gtest.h>

#include <string>

/** Expects `stmt` to throw popex::ConfigError whose message is exactly `msg`. */
#define EXPECT_THROW_MSG(stmt, msg)                                                                                    \
  do {                                                                                                                 \
    try {                                                                                                              \
      stmt;                                                                                                            \
      ADD_FAILURE() << "no ConfigError thrown; want: " << (msg);                                                       \
    } catch (const popex::ConfigError& e) {                                                                            \
      EXPECT_EQ(std::string(e.what()), std::string(msg));                                                              \
    }                                                                                                                  \
  } while (0)

inline std::string source_path(const std::string& rel)
{
  return std::string(POPEX_SOURCE_DIR) + "/" + rel;
}
