<CsoundSynthesizer>
<CsOptions>
</CsOptions>
<CsInstruments>
; NAME: a drone for a phone or tablet over OSC (TouchOSC's "Simple" layout, page 1).
;   ./cspylive play NAME      then send to port 8000 (patch.yaml), e.g. oscsend localhost 8000 /1/fader1 f 0.7
; Fader 1 is the filter (a channel), fader 2 the pulse rate (a Python global), push 1 a ping (a score event).
; NAME.py turns the rate into a pattern; save it while playing and the next beat uses it.
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1

pyinit
pyexeci "NAME.py"
chnset 900, "cutoff"

instr 1 ; the drone, filtered by fader 1, pulsing as NAME.py says
  kcut chnget "cutoff"
  kcut port kcut, 0.05
  ktick metro 8
  kgain init 1
  kgain pycall1t ktick, "pulse", timeinsts()
  kg port kgain, 0.02
  a1 vco2 0.12, 55
  a2 vco2 0.12, 55.4
  asig moogladder a1 + a2, kcut, 0.4
  outs asig * kg, asig * kg
endin

instr 2 ; a ping (push 1)
  aenv expon 1, p3, 0.001
  asig oscili 0.2 * aenv, cpsmidinn(p4)
  outs asig, asig
endin
</CsInstruments>
<CsScore>
i 1 0 86400
i 2 0.5 1 76
</CsScore>
</CsoundSynthesizer>
