<CsoundSynthesizer>
<CsOptions>
-odac -W
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  kenv linseg 0, 0.05, 1, p3 - 0.1, 0.6, 0.05, 0
  a1 vco2 p4 * kenv, p5
  a1 moogladder a1, 1800, 0.4
  aL, aR pan2 a1, p6
  outs aL, aR
endin
</CsInstruments>
<CsScore>
i1 0    0.5 0.3 220 0.2
i1 0.25 0.6 0.2 330 0.8
i1 0.7  0.4 0.25 277.2 0.5
</CsScore>
</CsoundSynthesizer>
