// The translation unit that builds the shared precompiled header (CMakeLists.txt, POPEX_PCH): nothing of its own.
