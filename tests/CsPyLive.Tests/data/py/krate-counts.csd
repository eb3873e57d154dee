<CsoundSynthesizer>
<CsOptions>
-n -d -m0
</CsOptions>
<CsInstruments>
; k-rate forms run once per k-cycle of the note, i forms once at init (Cabrera's pyrun example).
sr = 44100
kr = 100
nchnls = 1
0dbfs = 1
pyinit
pyruni "a = 0.0; b = 0.0"

instr 1
  pyrun "a = a + 1"
  pyruni "b = b + 1"
endin

instr 2
  i1 pyevali "a"
  i2 pyevali "b"
  printf_i "R: a=%.6f b=%.6f\n", 1, i1, i2
endin
</CsInstruments>
<CsScore>
i1 0 1
i2 1 0.01
i1 2 0.5
i2 3 0.01
</CsScore>
</CsoundSynthesizer>
