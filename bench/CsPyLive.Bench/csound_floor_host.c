/* The floor of a Csound JACK host on this machine: a C client whose process callback does the least any host of
 * Csound must (fetch its output port buffers, call csoundPerformKsmps for each k-cycle of the period, and copy spout
 * into the ports, scaled by 0dbfs), timed exactly as the benchmark times ours: a monotonic clock read at entry and
 * exit of the callback, and around each csoundPerformKsmps. What it spends outside csoundPerformKsmps is what a
 * native host pays; ours is compared with it in the same run on the same server. Prototypes are declared here (libjack in
 * bench_jack.h) so the machine needs libjack and libcsound, not their headers.
 * Usage: csound_floor_host CSD SECONDS WARMUP (JACK_DEFAULT_SERVER names the server);
 * prints "us_per_callback N us_perform N callbacks N". */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench_jack.h"

typedef struct CSOUND_ CSOUND;
int csoundInitialize(int flags);
CSOUND *csoundCreate(void *hostData);
int csoundSetOption(CSOUND *, const char *);
void csoundSetHostImplementedAudioIO(CSOUND *, int state, int bufSize);
void csoundSetMessageStringCallback(CSOUND *, void (*)(CSOUND *, int, const char *));
int csoundCompileCsd(CSOUND *, const char *);
int csoundStart(CSOUND *);
int csoundPerformKsmps(CSOUND *);
double *csoundGetSpout(CSOUND *);
unsigned int csoundGetKsmps(CSOUND *);
unsigned int csoundGetNchnls(CSOUND *);
double csoundGet0dBFS(CSOUND *);
double csoundGetSr(CSOUND *);

#define MAX_CHANNELS 8
static jack_port_t *outs[MAX_CHANNELS];
static CSOUND *cs;
static double *spout;
static unsigned int ksmps, nchnls, spout_frame;
static double scale;
static volatile double total_us, perform_us;
static volatile long callbacks;
static volatile int measuring;

static void quiet(CSOUND *c, int attr, const char *text) { (void)c; (void)attr; (void)text; }

static int process(jack_nframes_t frames, void *arg)
{
    (void)arg;
    double start = now_us(), perform = 0;
    float *port[MAX_CHANNELS];
    for (unsigned int ch = 0; ch < nchnls; ch++) port[ch] = jack_port_get_buffer(outs[ch], frames);
    for (jack_nframes_t i = 0; i < frames; i++)
    {
        if (spout_frame == ksmps)
        {
            double t = now_us();
            csoundPerformKsmps(cs);
            perform += now_us() - t;
            spout_frame = 0;
        }
        for (unsigned int ch = 0; ch < nchnls; ch++) port[ch][i] = (float)(spout[spout_frame * nchnls + ch] * scale);
        spout_frame++;
    }
    if (measuring) { total_us += now_us() - start; perform_us += perform; callbacks++; }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) { fprintf(stderr, "usage: csound_floor_host CSD SECONDS WARMUP\n"); return 2; }
    csoundInitialize(1 | 2);
    cs = csoundCreate(NULL);
    csoundSetMessageStringCallback(cs, quiet);
    csoundSetHostImplementedAudioIO(cs, 1, 0);
    csoundSetOption(cs, "-n");
    csoundSetOption(cs, "-+rtaudio=null");
    csoundSetOption(cs, "-d");
    if (csoundCompileCsd(cs, argv[1]) != 0 || csoundStart(cs) != 0) { fprintf(stderr, "csound could not start %s\n", argv[1]); return 1; }
    spout = csoundGetSpout(cs);
    ksmps = csoundGetKsmps(cs);
    nchnls = csoundGetNchnls(cs);
    if (nchnls > MAX_CHANNELS) { fprintf(stderr, "too many channels\n"); return 1; }
    scale = 1.0 / csoundGet0dBFS(cs);
    spout_frame = ksmps;
    jack_client_t *c = jack_client_open("cspylive-csound-floor", 1 /* JackNoStartServer */, NULL);
    if (!c) { fprintf(stderr, "no JACK server\n"); return 1; }
    if (jack_get_sample_rate(c) != (unsigned int)csoundGetSr(cs)) { fprintf(stderr, "sample rate differs\n"); return 1; }
    char name[32], full[64], playback[32];
    for (unsigned int ch = 0; ch < nchnls; ch++)
    {
        snprintf(name, sizeof name, "out_%u", ch + 1);
        outs[ch] = jack_port_register(c, name, "32 bit float mono audio", 2 /* JackPortIsOutput */, 0);
    }
    jack_set_process_callback(c, process, NULL);
    if (jack_activate(c)) { fprintf(stderr, "cannot activate\n"); return 1; }
    for (unsigned int ch = 0; ch < nchnls; ch++)
    {
        snprintf(full, sizeof full, "cspylive-csound-floor:out_%u", ch + 1);
        snprintf(playback, sizeof playback, "system:playback_%u", ch + 1);
        jack_connect(c, full, playback);
    }
    sleep(atoi(argv[3]));
    measuring = 1;
    sleep(atoi(argv[2]));
    measuring = 0;
    printf("us_per_callback %.3f us_perform %.3f callbacks %ld\n", total_us / callbacks, perform_us / callbacks, callbacks);
    jack_client_close(c);
    return 0;
}
