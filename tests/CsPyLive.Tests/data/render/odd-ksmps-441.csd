<CsoundSynthesizer>
<CsOptions>
-o should-not-be-written.wav
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 441
nchnls = 2
0dbfs = 1
instr 1
  a1 poscil 0.4, p4
  kenv transeg 1, p3, -4, 0
  outs a1 * kenv, a1 * kenv * 0.7
endin
</CsInstruments>
<CsScore>
i1 0 0.3 440
i1 0.31 0.3 660
</CsScore>
</CsoundSynthesizer>
