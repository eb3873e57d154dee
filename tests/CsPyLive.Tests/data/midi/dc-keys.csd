<CsoundSynthesizer>
<CsInstruments>
; A test instrument whose output shows timing exactly: each note adds a constant p5/127 * 0.5 (a step, not a sine,
; so its first frame is its onset), with a 50 ms linear release after its note-off.
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  kenv linsegr 1, 1, 1, 0.05, 0
  asig upsamp p5 / 127 * 0.5 * kenv
  outs asig, asig
endin
</CsInstruments>
<CsScore>
f0 86400
</CsScore>
</CsoundSynthesizer>
