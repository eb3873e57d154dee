"""A pentatonic Markov chain in three layers, for markov.csd.

Each layer walks over degrees of a major pentatonic scale with its own transition table: the bass moves slowly
between roots, the melody prefers steps with occasional leaps and rests, the bells are sparse and high. Csound asks
for the next note with pycall3t (triggered by a metro) and gets (midi note, duration, amplitude); amplitude 0 is a
rest. Seeded, so a render is repeatable.
"""
import random

PENTATONIC = (0, 2, 4, 7, 9)          # C major pentatonic, degrees in semitones
ROOT = 48                              # C3

_rng = random.Random(20240601)


def _pitch(degree, octave):
    return float(ROOT + 12 * octave + PENTATONIC[degree % 5] + 12 * (degree // 5))


class Chain:
    """A first-order Markov chain over states 0..n-1 with weighted transitions."""

    def __init__(self, table, start=0):
        self.table = table
        self.state = start

    def step(self):
        weights = self.table[self.state]
        self.state = _rng.choices(range(len(weights)), weights=weights)[0]
        return self.state


# Bass: mostly root and fifth (degrees 0 and 3), sometimes the sixth or second.
_bass = Chain([
    # to: 0  1  2  3  4
    [1, 1, 0, 4, 2],   # from 0
    [4, 0, 1, 1, 0],   # from 1
    [2, 1, 0, 2, 0],   # from 2
    [5, 0, 1, 0, 2],   # from 3
    [3, 0, 0, 3, 0],   # from 4
])

# Melody over ten degrees (two octaves): steps likely, leaps of a third or more rare.
_melody = Chain([[max(0.0, 4.0 - 1.5 * abs(i - j)) + (0.3 if i != j else 0.1) for j in range(10)] for i in range(10)],
                start=5)

# Bells: five degrees high up, any order, chosen evenly.
_bells = Chain([[1, 1, 1, 1, 1] for _ in range(5)])


def bass_next(tick):
    degree = _bass.step()
    return _pitch(degree, 0), 3.6, 0.20


def melody_next(tick):
    degree = _melody.step()
    if _rng.random() < 0.22:            # a rest now and then
        return 0.0, 0.0, 0.0
    duration = _rng.choice((0.45, 0.45, 0.9, 1.35))
    return _pitch(degree, 1), duration, _rng.uniform(0.08, 0.13)


def bell_next(tick):
    if _rng.random() < 0.6:
        return 0.0, 0.0, 0.0
    return _pitch(_bells.step(), 3), 2.5, _rng.uniform(0.035, 0.06)


def pan_for(note):
    """Spread notes across the stereo field by pitch (0 left .. 1 right), gently."""
    return 0.25 + 0.5 * ((note - ROOT) % 24) / 24.0
