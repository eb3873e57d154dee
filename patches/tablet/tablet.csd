<CsoundSynthesizer>
<CsOptions>
</CsOptions>
<CsInstruments>
; tablet: a warm pad drone with a plucked arpeggio over it, played from a phone or tablet over OSC (see README.md).
; Faders set the filter, the drone's level, the echo and the tempo (through Python); pads play notes.
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1

seed 11
pyinit
pyexeci "tablet.py"

giSine ftgen 0, 0, 8192, 10, 1
gaEchoL init 0
gaEchoR init 0
chnset 1200, "cutoff"
chnset 0.5, "drone"
chnset 0.35, "echo"

; the drone: detuned saws through a resonant low-pass the tablet's fader 1 sweeps
instr 1
  kcut chnget "cutoff"
  kcut port kcut, 0.08
  klev chnget "drone"
  klev port klev, 0.1
  aenv linsegr 0, 3, 1, 2, 0
  a1 vco2 0.08, 55
  a2 vco2 0.08, 55 * 1.006
  a3 vco2 0.06, 82.5 * 0.997
  af moogladder a1 + a2 + a3, kcut, 0.35
  aL, aR pan2 af * aenv * klev, 0.5
  outs aL, aR
  gaEchoL += aL * 0.2
  gaEchoR += aR * 0.2
endin

; a pluck: p4 = MIDI note, p5 = amplitude, p6 = pan
instr 2
  icps = cpsmidinn(p4)
  a1 pluck p5, icps, icps, 0, 1
  aenv linsegr 1, p3, 1, 0.3, 0
  kcut chnget "cutoff"
  af tone a1 * aenv, kcut * 3
  aL, aR pan2 af, p6
  outs aL, aR
  gaEchoL += aL * 0.6
  gaEchoR += aR * 0.6
endin

; the arpeggiator: asks Python for the next note each step; Python's tempo and scale come from the tablet
instr 3
  kstep init 0
  ktempo pycall1 "tempo_hz"
  ktick metro ktempo
  if ktick == 1 then
    knote pycall1 "next_note", kstep
    kstep += 1
    if knote > 0 then
      event "i", 2, 0, 0.4, knote, 0.25, 0.3 + 0.4 * (kstep % 2)
    endif
  endif
endin

; ping-pong echo, always on (kept by /panic)
instr 99
  kmix chnget "echo"
  aL delayr 0.75
  aTapL deltap 0.375
  delayw gaEchoL + aTapL * 0.45 * kmix
  aR delayr 0.75
  aTapR deltap 0.5
  delayw gaEchoR + aTapR * 0.45 * kmix
  outs aTapL * kmix, aTapR * kmix
  clear gaEchoL, gaEchoR
endin
</CsInstruments>
<CsScore>
i 1 0 36000
i 3 0 36000
i 99 0 36000
</CsScore>
</CsoundSynthesizer>
