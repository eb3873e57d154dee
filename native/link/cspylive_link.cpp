// cspylive_link.cpp: the C API of cspylive_link.h over ableton::Link. Build: scripts/build-link-shim.sh.
// Ableton Link is GPL-2.0-or-later: a program that loads this shim is distributed under the GPL (docs/adr/0016-ableton-link.md).
// Built with -fvisibility=hidden: only the C API is exported, not the thousands of Link and asio template symbols.
#pragma GCC visibility push(default)
#include "cspylive_link.h"
#pragma GCC visibility pop

#include <ableton/Link.hpp>

#include <chrono>
#include <cmath>
#include <new>

struct cspylive_link {
  explicit cspylive_link(double bpm) : link(bpm) {}
  ableton::Link link;
};

namespace {

using std::chrono::microseconds;

void fill(const ableton::Link::SessionState& s, int64_t time, double quantum, cspylive_link_state* out) {
  const microseconds t{time};
  const double beat = s.beatAtTime(t, quantum);
  const double phase = s.phaseAtTime(t, quantum);
  out->time_micros = time;
  out->quantum = quantum;
  out->tempo = s.tempo();
  out->beat = beat;
  out->phase = phase;
  out->next_beat_micros = s.timeAtBeat(std::ceil(beat), quantum).count();
  // The bar starts where the phase is 0: at beat - phase, or the next one if we are past it.
  const double bar = phase > 0.0 ? beat - phase + quantum : beat;
  out->next_bar_micros = s.timeAtBeat(bar, quantum).count();
  out->is_playing = s.isPlaying() ? 1 : 0;
  for (auto& r : out->reserved) r = 0;
}

}  // namespace

extern "C" {

int cspylive_link_abi_version(void) { return CSPYLIVE_LINK_ABI_VERSION; }

cspylive_link* cspylive_link_create(double bpm) {
  try {
    return new cspylive_link(bpm);
  } catch (...) {
    return nullptr;
  }
}

void cspylive_link_destroy(cspylive_link* link) {
  try {
    delete link;
  } catch (...) {
  }
}

int cspylive_link_enable(cspylive_link* link, uint8_t enable) {
  try {
    link->link.enable(enable != 0);
    return 0;
  } catch (...) {
    return -1;
  }
}

uint8_t cspylive_link_is_enabled(const cspylive_link* link) { return link->link.isEnabled() ? 1 : 0; }

uint32_t cspylive_link_num_peers(const cspylive_link* link) {
  return static_cast<uint32_t>(link->link.numPeers());
}

int64_t cspylive_link_clock_micros(const cspylive_link* link) { return link->link.clock().micros().count(); }

void cspylive_link_audio_capture(const cspylive_link* link, int64_t host_time_micros, double quantum,
                                 cspylive_link_state* out) {
  fill(link->link.captureAudioSessionState(), host_time_micros, quantum, out);
}

int64_t cspylive_link_audio_time_at_beat(const cspylive_link* link, double beat, double quantum) {
  return link->link.captureAudioSessionState().timeAtBeat(beat, quantum).count();
}

void cspylive_link_audio_request_tempo(cspylive_link* link, double bpm, int64_t time_micros) {
  if (!(bpm > 0.0)) return;  // not a tempo; also lets a binding call it once, to bind it, without effect
  auto s = link->link.captureAudioSessionState();
  s.setTempo(bpm, microseconds{time_micros});
  link->link.commitAudioSessionState(s);
}

void cspylive_link_app_capture(const cspylive_link* link, int64_t time_micros, double quantum, cspylive_link_state* out) {
  try {
    fill(link->link.captureAppSessionState(), time_micros, quantum, out);
  } catch (...) {
  }
}

double cspylive_link_tempo(const cspylive_link* link) {
  try {
    return link->link.captureAppSessionState().tempo();
  } catch (...) {
    return 0.0;
  }
}

void cspylive_link_set_tempo(cspylive_link* link, double bpm, int64_t time_micros) {
  try {
    auto s = link->link.captureAppSessionState();
    s.setTempo(bpm, microseconds{time_micros});
    link->link.commitAppSessionState(s);
  } catch (...) {
  }
}

void cspylive_link_enable_start_stop_sync(cspylive_link* link, uint8_t enable) {
  try {
    link->link.enableStartStopSync(enable != 0);
  } catch (...) {
  }
}

uint8_t cspylive_link_is_start_stop_sync_enabled(const cspylive_link* link) {
  return link->link.isStartStopSyncEnabled() ? 1 : 0;
}

uint8_t cspylive_link_is_playing(const cspylive_link* link) {
  try {
    return link->link.captureAppSessionState().isPlaying() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

void cspylive_link_set_is_playing(cspylive_link* link, uint8_t playing, int64_t time_micros) {
  try {
    auto s = link->link.captureAppSessionState();
    s.setIsPlaying(playing != 0, microseconds{time_micros});
    link->link.commitAppSessionState(s);
  } catch (...) {
  }
}

}  // extern "C"

static_assert(sizeof(cspylive_link_state) == 64, "cspylive_link_state is 64 bytes: bindings rely on it");
