<CsoundSynthesizer>
<CsOptions>
-n -d -m0
</CsOptions>
<CsInstruments>
; pycall2..8 and pycalln: tuples of results, at i- and k-rate.
sr = 44100
kr = 100
nchnls = 1
0dbfs = 1
pyinit
pyruni {{
def two(a, b):
    return (a + b, a - b)
def eight(x):
    return tuple(float(x * i) for i in range(1, 9))
def n3(a):
    return (a, a * 2, a * 3)
}}

instr 1
  i1, i2 pycall2i "two", 5, 3
  i3, i4, i5, i6, i7, i8, i9, i10 pycall8i "eight", 0.5
  printf_i "R: %.6f %.6f %.6f %.6f %.6f %.6f %.6f %.6f %.6f %.6f\n", 1, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10
  kn init 0
  kn += 1
  k1, k2 pycall2 "two", kn, 0.25
  kr1 init 0
  kr2 init 0
  kr3 init 0
  pycalln "n3", 3, kr1, kr2, kr3, kn
  printf "R: %d %.6f %.6f %.6f %.6f %.6f\n", kn, kn, k1, k2, kr1, kr2, kr3
endin
</CsInstruments>
<CsScore>
i1 0 0.05
</CsScore>
</CsoundSynthesizer>
