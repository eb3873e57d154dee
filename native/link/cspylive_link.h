/* cspylive_link.h: a small C API over Ableton Link (header-only C++, Debian ableton-link-dev 3.0.x), so that
 * CsPyLive (C#, P/Invoke) and C test probes can use it. Built by scripts/build-link-shim.sh into
 * artifacts/native/libcspylive_link.so.
 *
 * Threads, as Link's own documentation asks:
 *  - cspylive_link_audio_* use captureAudioSessionState/commitAudioSessionState: realtime-safe (no allocation, no
 *    lock), and must be called from ONE thread only, the audio thread.
 *  - every other function (the "app" calls) uses captureAppSessionState/commitAppSessionState or Link's controls:
 *    any thread but the audio thread; they may block or allocate.
 * Times are in microseconds on Link's clock (cspylive_link_clock_micros; CLOCK_MONOTONIC_RAW on Linux).
 * Booleans are uint8_t (0 or 1) so that bindings stay blittable. No function throws across the C boundary. */
#ifndef CSPYLIVE_LINK_H
#define CSPYLIVE_LINK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped when a signature or cspylive_link_state's layout changes; bindings check it. */
#define CSPYLIVE_LINK_ABI_VERSION 1

typedef struct cspylive_link cspylive_link; /* opaque */

/* What the host needs once per audio period, filled by one capture. 64 bytes, no padding. */
typedef struct cspylive_link_state {
  int64_t time_micros;      /* the time asked about (host time: Link clock at the callback + output latency) */
  double quantum;           /* the quantum asked about, in beats (e.g. 4 for a 4/4 bar) */
  double tempo;             /* beats per minute */
  double beat;              /* beat at time_micros */
  double phase;             /* beat's phase in [0, quantum) at time_micros */
  int64_t next_beat_micros; /* Link time of the first whole beat at or after time_micros */
  int64_t next_bar_micros;  /* Link time of the first quantum boundary (phase 0) at or after time_micros */
  uint8_t is_playing;       /* start/stop state (meaningful with start/stop sync on) */
  uint8_t reserved[7];
} cspylive_link_state;

int cspylive_link_abi_version(void);

/* Creates a session (not enabled: it joins no network until cspylive_link_enable(l, 1)). NULL on failure. */
cspylive_link* cspylive_link_create(double bpm);
void cspylive_link_destroy(cspylive_link* link);

/* App thread. Returns 0 on success, -1 if Link threw (e.g. no network). */
int cspylive_link_enable(cspylive_link* link, uint8_t enable);
uint8_t cspylive_link_is_enabled(const cspylive_link* link);
uint32_t cspylive_link_num_peers(const cspylive_link* link);
/* Any thread (realtime-safe): now on Link's clock. */
int64_t cspylive_link_clock_micros(const cspylive_link* link);

/* ---- audio thread only ---- */
/* Fills *out for host_time_micros and quantum from one captureAudioSessionState. */
void cspylive_link_audio_capture(const cspylive_link* link, int64_t host_time_micros, double quantum,
                                 cspylive_link_state* out);
/* Link time at which the timeline reaches beat (with quantum). */
int64_t cspylive_link_audio_time_at_beat(const cspylive_link* link, double beat, double quantum);
/* Asks the session for a new tempo from time_micros on (commitAudioSessionState). Does nothing if bpm <= 0. */
void cspylive_link_audio_request_tempo(cspylive_link* link, double bpm, int64_t time_micros);

/* ---- app thread ---- */
void cspylive_link_app_capture(const cspylive_link* link, int64_t time_micros, double quantum, cspylive_link_state* out);
double cspylive_link_tempo(const cspylive_link* link);
void cspylive_link_set_tempo(cspylive_link* link, double bpm, int64_t time_micros);
void cspylive_link_enable_start_stop_sync(cspylive_link* link, uint8_t enable);
uint8_t cspylive_link_is_start_stop_sync_enabled(const cspylive_link* link);
uint8_t cspylive_link_is_playing(const cspylive_link* link);
void cspylive_link_set_is_playing(cspylive_link* link, uint8_t playing, int64_t time_micros);

#ifdef __cplusplus
}
#endif

#endif
