<CsoundSynthesizer>
<CsInstruments>
; no 0dbfs line: Csound's default of 32768 applies
sr = 22050
ksmps = 1
nchnls = 1
instr 1
  kfreq expon 110, p3, 880
  a1 poscil 10000, kfreq
  out a1
endin
</CsInstruments>
<CsScore>
i1 0 0.37
</CsScore>
</CsoundSynthesizer>
