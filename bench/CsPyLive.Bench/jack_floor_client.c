/* The floor of a JACK client's process callback on this machine: what a C client spends per period doing only
 * what any audio client must (fetch its two output port buffers and fill them), timed like ours: a monotonic
 * clock read at entry and at exit. libjack is declared in bench_jack.h.
 * Usage: jack_floor_client SECONDS (JACK_DEFAULT_SERVER names the server); prints "us_per_callback N". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_jack.h"

static jack_port_t *out1, *out2;
static volatile double total_us;
static volatile long callbacks;
static volatile int measuring;

static int process(jack_nframes_t frames, void *arg)
{
    double start = now_us();
    float *a = jack_port_get_buffer(out1, frames), *b = jack_port_get_buffer(out2, frames);
    memset(a, 0, frames * sizeof(float));
    memset(b, 0, frames * sizeof(float));
    if (measuring) { total_us += now_us() - start; callbacks++; }
    return 0;
}

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? atoi(argv[1]) : 10;
    jack_client_t *c = jack_client_open("cspylive-floor", 1 /* JackNoStartServer */, NULL);
    if (!c) { fprintf(stderr, "no JACK server\n"); return 1; }
    out1 = jack_port_register(c, "out_1", "32 bit float mono audio", 2 /* JackPortIsOutput */, 0);
    out2 = jack_port_register(c, "out_2", "32 bit float mono audio", 2, 0);
    jack_set_process_callback(c, process, NULL);
    if (jack_activate(c)) { fprintf(stderr, "cannot activate\n"); return 1; }
    jack_connect(c, "cspylive-floor:out_1", "system:playback_1");
    jack_connect(c, "cspylive-floor:out_2", "system:playback_2");
    sleep(2);
    measuring = 1;
    sleep(seconds);
    measuring = 0;
    printf("us_per_callback %.3f callbacks %ld\n", total_us / callbacks, callbacks);
    jack_client_close(c);
    return 0;
}
