<CsoundSynthesizer>
<CsOptions>
</CsOptions>
<CsInstruments>
; keys: a polyphonic electric piano for a MIDI keyboard (play --midi-in jack, or render --midi file.mid).
; The host's note router starts instr 1 as a held note on a fractional instance per key
; (p4 = MIDI note, p5 = velocity 0..127) and releases it on note-off, or on pedal-up while the sustain pedal is down.
; Pitch bend (+-2 semitones) and the mod wheel (vibrato) come from the router's channels midi.1.bend, midi.1.cc1.
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1

giSine ftgen 0, 0, 8192, 10, 1
gaL init 0
gaR init 0

instr 1
  inote = p4
  ivel = p5 / 127
  iamp = 0.07 * (0.2 + 0.8 * ivel * ivel)          ; soft keys are quiet; room for ten loud notes
  ibright = 0.6 + 2.6 * ivel                        ; harder keys: brighter tine
  idecay = 0.9 + 3.5 * (1 - (inote - 21) / 88)      ; low notes ring longer
  kbend chnget "midi.1.bend"
  kmod chnget "midi.1.cc1"
  kvib poscil kmod * 0.01, 5.6, giSine
  kcps = cpsmidinn(inote + 2 * kbend) * (1 + kvib)
  ; body: decays while held, like a struck tine; release: 0.35 s after the key (or the pedal) lets go
  kbody expseg 1, idecay, 0.25, 8, 0.08
  krel madsr 0.002, 0, 1, 0.35
  kidx expseg ibright, 0.25 + idecay * 0.3, ibright * 0.25, 4, 0.15
  a1 foscili iamp * kbody * krel, kcps, 1, 1, kidx, giSine
  atine foscili iamp * 0.25 * ivel * kbody * kbody * krel, kcps, 1, 14.02, 0.8, giSine
  asig = a1 + atine
  ipan = 0.25 + 0.5 * (inote - 21) / 88
  aL, aR pan2 asig, ipan
  gaL += aL
  gaR += aR
endin

; the mix: dry keys plus a room, through tanh so that a fistful of loud notes bends instead of clipping
instr 99
  awL, awR reverbsc gaL, gaR, 0.82, 8000
  outs tanh(gaL + 0.3 * awL), tanh(gaR + 0.3 * awR)
  clear gaL, gaR
endin
</CsInstruments>
<CsScore>
i99 0 86400
</CsScore>
</CsoundSynthesizer>
