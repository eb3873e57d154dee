/* link_probe: a Link peer made of the cspylive_link shim alone, for the Sync tests. RUN IT ONLY INSIDE A PRIVATE
 * NETWORK NAMESPACE (unshare -n, lo up): Link multicasts on every interface it finds.
 *
 * A thread standing in for the audio thread captures the audio session state every 100 ms
 * (cspylive_link_audio_capture) and prints one line:
 *   peers N tempo T beat B phase P playing 0|1 grid G gridbeat GB next_beat NB next_bar NR
 * where G is the Link clock time rounded down to 100 ms, the same grid in every probe, and GB the beat at G
 * (quantum 4): two probes agree when their gridbeat for the same grid do.
 * Commands on stdin, one per line: "tempo BPM" (app thread, commitAppSessionState), "audio-tempo BPM" (asked of the
 * audio thread, commitAudioSessionState), "quit".
 * Build: cc -O2 -o link_probe link_probe.c -I native/link -L artifacts/native -lcspylive_link -Wl,-rpath,artifacts/native -pthread */
#include "cspylive_link.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static cspylive_link* link_;
static atomic_int running = 1;
static _Atomic double audio_tempo_request = 0.0;

static void* audio_thread(void* arg) {
  (void)arg;
  const double quantum = 4.0;
  struct timespec period = {0, 100 * 1000 * 1000};
  while (atomic_load(&running)) {
    double bpm = atomic_exchange(&audio_tempo_request, 0.0);
    int64_t now = cspylive_link_clock_micros(link_);
    if (bpm > 0.0) cspylive_link_audio_request_tempo(link_, bpm, now);
    cspylive_link_state s, g;
    cspylive_link_audio_capture(link_, now, quantum, &s);
    int64_t grid = now - now % 100000;
    cspylive_link_audio_capture(link_, grid, quantum, &g);
    printf("peers %u tempo %.4f beat %.6f phase %.6f playing %d grid %lld gridbeat %.9f next_beat %lld next_bar %lld\n",
           cspylive_link_num_peers(link_), s.tempo, s.beat, s.phase, s.is_playing, (long long)grid, g.beat,
           (long long)s.next_beat_micros, (long long)s.next_bar_micros);
    nanosleep(&period, NULL);
  }
  return NULL;
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (cspylive_link_abi_version() != CSPYLIVE_LINK_ABI_VERSION) {
    fprintf(stderr, "link_probe: shim ABI %d, probe built for %d\n", cspylive_link_abi_version(), CSPYLIVE_LINK_ABI_VERSION);
    return 2;
  }
  double bpm = argc > 1 ? atof(argv[1]) : 120.0;
  link_ = cspylive_link_create(bpm);
  if (!link_ || cspylive_link_enable(link_, 1) != 0) {
    fprintf(stderr, "link_probe: could not start Link\n");
    return 1;
  }
  pthread_t audio;
  pthread_create(&audio, NULL, audio_thread, NULL);
  char line[256];
  while (fgets(line, sizeof line, stdin)) {
    double value;
    if (sscanf(line, "tempo %lf", &value) == 1) {
      cspylive_link_set_tempo(link_, value, cspylive_link_clock_micros(link_));
      fprintf(stderr, "link_probe: tempo %.2f set\n", value);
    } else if (sscanf(line, "audio-tempo %lf", &value) == 1) {
      atomic_store(&audio_tempo_request, value);
    } else if (strncmp(line, "quit", 4) == 0) {
      break;
    }
  }
  atomic_store(&running, 0);
  pthread_join(audio, NULL);
  cspylive_link_enable(link_, 0);
  cspylive_link_destroy(link_);
  return 0;
}
