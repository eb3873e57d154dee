<CsoundSynthesizer>
<CsOptions>
</CsOptions>
<CsInstruments>
; hello: a slow, soft progression of electric-piano-like FM tones through a hall reverb.
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1

seed 7
giSine ftgen 0, 0, 8192, 10, 1
gaRevL init 0
gaRevR init 0

; p4 = MIDI note, p5 = velocity 0..1, p6 = pan 0..1
instr 1
  icps = cpsmidinn(p4)
  iamp = 0.16 * p5
  kenv madsr 0.012, 1.6, 0.25, 0.9
  kidx expseg 2.2, 1.2, 0.35, 1, 0.35
  a1 foscili iamp * kenv, icps, 1, 1.0007, kidx, giSine
  a2 foscili iamp * kenv * 0.35, icps * 2.0, 1, 3.5, kidx * 0.4, giSine
  asig = a1 + a2
  aL, aR pan2 asig, p6
  outs aL, aR
  gaRevL += aL * 0.35
  gaRevR += aR * 0.35
endin

; plays a chord: p4..p7 notes, arpeggiated slightly
instr 10
  idur = p3
  ivel = p8
  schedule 1, 0.00, idur, p4, ivel, 0.3
  schedule 1, 0.03, idur, p5, ivel * 0.8, 0.45
  schedule 1, 0.06, idur, p6, ivel * 0.8, 0.55
  schedule 1, 0.09, idur, p7, ivel * 0.7, 0.7
  ; a melody note above, now and then
  if random:i(0, 1) > 0.4 then
    schedule 1, idur * 0.5, idur * 0.6, p7 + 12 + 2 * int(random:i(0, 3)), ivel * 0.6, random:i(0.2, 0.8)
  endif
endin

instr 99
  aL, aR reverbsc gaRevL, gaRevR, 0.86, 9000
  outs aL * 0.6, aR * 0.6
  clear gaRevL, gaRevR
endin
</CsInstruments>
<CsScore>
i99 0 26
;          dur  n1  n2  n3  n4  vel
i10  0     3.5  48  55  64  71  0.9
i10  4     3.5  45  52  60  67  0.85
i10  8     3.5  41  48  57  64  0.85
i10  12    3.5  43  50  59  66  0.9
i10  16    3.5  48  55  64  71  0.8
i10  20    4.5  41  48  57  64  0.7
e
</CsScore>
</CsoundSynthesizer>
