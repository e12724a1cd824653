{
  "targets": [
    {
      "target_name": "mnemo_native",
      "sources": [
        "src/cpp/addon.cc",
        "src/cpp/mmap.cc",
        "src/cpp/lock.cc",
        "src/cpp/fsync.cc",
        "src/cpp/crc32c.cc",
        "src/cpp/distance.cc",
        "src/cpp/distance_scalar.cc",
        "src/cpp/distance_avx2.cc",
        "src/cpp/hnsw.cc",
        "src/cpp/hnsw_core.cc",
        "src/cpp/hnsw_quant.cc",
        "src/cpp/hnsw_build.cc",
        "src/cpp/spread.cc",
        "src/cpp/spread_kernel.cc",
        "src/cpp/strings.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_ENABLE_MAYBE"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
