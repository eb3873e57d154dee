/* What the benchmark's C clients need of libjack, declared here so the machine needs libjack, not its headers,
 * and the monotonic clock both time their callbacks with. */
#ifndef CSPYLIVE_BENCH_JACK_H
#define CSPYLIVE_BENCH_JACK_H
#include <time.h>

typedef struct _jack_client jack_client_t;
typedef struct _jack_port jack_port_t;
typedef unsigned int jack_nframes_t;
jack_client_t *jack_client_open(const char *name, int options, int *status, ...);
jack_port_t *jack_port_register(jack_client_t *, const char *, const char *, unsigned long, unsigned long);
int jack_set_process_callback(jack_client_t *, int (*)(jack_nframes_t, void *), void *);
int jack_activate(jack_client_t *);
int jack_connect(jack_client_t *, const char *, const char *);
void *jack_port_get_buffer(jack_port_t *, jack_nframes_t);
int jack_client_close(jack_client_t *);
unsigned int jack_get_sample_rate(jack_client_t *);

static inline double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}
#endif
