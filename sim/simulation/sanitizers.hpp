#pragma once

/** POPEX_ASAN: defined when AddressSanitizer instruments this build (GCC's macro, or Clang's feature test). */
#if defined(__SANITIZE_ADDRESS__)
#define POPEX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POPEX_ASAN 1
#endif
#endif
