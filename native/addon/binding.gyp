{
  "targets": [
    {
      "target_name": "headroom_dsp",
      "sources": [
        "src/addon.cc",
        "src/pcm.cc",
        "../filter-host/src/dsp/agc.c",
        "../filter-host/src/dsp/chain.c",
        "../filter-host/src/dsp/compressor.c",
        "../filter-host/src/dsp/gating.c",
        "../filter-host/src/dsp/kweight.c",
        "../filter-host/src/dsp/limiter.c",
        "../filter-host/src/dsp/meter.c",
        "../filter-host/src/dsp/params.c",
        "../filter-host/src/dsp/truepeak.c"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "../filter-host/src"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "cflags_c": ["-std=c11", "-D_GNU_SOURCE", "-ffp-contract=off", "-O2", "-ftree-vectorize"],
      "cflags_cc": ["-std=c++17", "-O2"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"]
    }
  ]
}
