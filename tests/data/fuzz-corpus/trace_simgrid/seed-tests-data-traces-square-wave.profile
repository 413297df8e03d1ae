# Square-wave uplink for the static-vs-dynamic test: 18.8 Mbps (2350000 B/s) for 60 s, then 1.1 Mbps
# (137500 B/s) for 60 s, repeating (LOOPAFTER 60: the first value comes back 60 s after the last date).
# Used by tests/cli/square_wave.sh and tests/engine/test_engine_update_box.cpp.
0 2350000
60 137500
LOOPAFTER 60
