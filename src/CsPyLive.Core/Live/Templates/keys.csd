<CsoundSynthesizer>
<CsOptions>
</CsOptions>
<CsInstruments>
; NAME: a keyboard instrument.
;   ./cspylive play NAME --midi-in jack      (connect a keyboard to cspylive:midi_in)
; MIDI channel 1 plays instr 1 as a held note, one instance per key (patch.yaml): p4 = MIDI note, p5 = velocity
; 0..1; note-off releases it through its release envelope. NAME.py decides each note's brightness: save it while
; playing and the next note uses the new code. The score plays a short phrase so you hear something at once.
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1

pyinit
pyexeci "NAME.py"

gaL init 0
gaR init 0

instr 1
  ibright pycall1i "brightness", p4, p5      ; NAME.py: 0..1
  kenv madsr 0.005, 0.3, 0.5, 0.4
  kcut = 150 + 6000 * ibright * kenv
  asig vco2 0.25 * p5, cpsmidinn(p4)
  asig moogladder asig, kcut, 0.3
  aL, aR pan2 asig * kenv, 0.3 + 0.4 * (p4 - 36) / 48
  gaL += aL
  gaR += aR
endin

instr 2 ; a phrase to start with: the same notes a keyboard would play
  inotes[] fillarray 60, 64, 67, 72, 67, 64
  ii = 0
  while ii < lenarray(inotes) do
    schedule 1.5 + ii / 1000, ii * 0.25, 0.4, inotes[ii], 0.7
    ii += 1
  od
endin

instr 99 ; the mix, with a room
  awL, awR reverbsc gaL, gaR, 0.8, 9000
  outs tanh(gaL + 0.25 * awL), tanh(gaR + 0.25 * awR)
  clear gaL, gaR
endin
</CsInstruments>
<CsScore>
i 99 0 86400
i 2 0.1 0.1
</CsScore>
</CsoundSynthesizer>
