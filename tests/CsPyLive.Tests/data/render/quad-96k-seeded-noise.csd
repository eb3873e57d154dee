<CsoundSynthesizer>
<CsInstruments>
sr = 96000
ksmps = 64
nchnls = 4
0dbfs = 2
seed 42
instr 1
  anoise rand 0.5, 0.5, 1
  a1 butterlp anoise, p4
  kgain random 0.2, 1.5
  outq a1 * kgain, a1 * 0.5, a1 * -1, a1 * random:i(0, 1)
endin
</CsInstruments>
<CsScore>
i1 0 0.21 800
i1 0.1 0.2 3000
i1 0.33 0.123 6000
</CsScore>
</CsoundSynthesizer>
