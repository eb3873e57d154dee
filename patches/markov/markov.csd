<CsoundSynthesizer>
<CsOptions>
-d -m0
</CsOptions>
<CsInstruments>
; A generative patch: three pentatonic Markov chains (markov.py) ask for their next notes through CsPyLive's
; Python opcodes (pycall3t at each metro tick, pycall1i at note init), soft FM voices, a shared reverb.
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

pyinit
pyexeci "markov.py"

gaRevL init 0
gaRevR init 0

instr 1 ; conductor: one metro, three layers at different subdivisions
  ktick metro 2.2222                    ; eighth notes at 66.7 bpm
  kcount init 0
  kcount += ktick
  kbass = ktick * ((kcount - 1) % 8 == 0 ? 1 : 0)
  kmel = ktick
  kbell = ktick * ((kcount - 1) % 3 == 0 ? 1 : 0)
  kn1, kd1, ka1 pycall3t kbass, "bass_next", kcount
  kn2, kd2, ka2 pycall3t kmel, "melody_next", kcount
  kn3, kd3, ka3 pycall3t kbell, "bell_next", kcount
  schedkwhen kbass * (ka1 > 0 ? 1 : 0), 0, 0, 10, 0, kd1, kn1, ka1, 0.6
  schedkwhen kmel * (ka2 > 0 ? 1 : 0), 0, 0, 10, 0, kd2, kn2, ka2, 1.4
  schedkwhen kbell * (ka3 > 0 ? 1 : 0), 0, 0, 11, 0, kd3, kn3, ka3
endin

instr 10 ; soft FM voice: p4 midi note, p5 amplitude, p6 modulation index
  icps = cpsmidinn(p4)
  ipan pycall1i "pan_for", p4
  iatt = 0.04
  irel = p3 * 0.6
  aenv linseg 0, iatt, 1, p3 - iatt - irel, 0.7, irel, 0
  kidx linseg p6, p3, p6 * 0.3
  asig foscili p5, icps, 1, 2.001, kidx, -1
  asig = asig * aenv
  asig butterlp asig, 3500
  aL = asig * sqrt(1 - ipan)
  aR = asig * sqrt(ipan)
  outs aL, aR
  gaRevL += aL * 0.35
  gaRevR += aR * 0.35
endin

instr 11 ; bell: inharmonic partials, long decay
  icps = cpsmidinn(p4)
  ipan pycall1i "pan_for", p4
  aenv expseg 0.0001, 0.005, 1, p3 - 0.005, 0.0001
  a1 oscili 1, icps
  a2 oscili 0.5, icps * 2.76
  a3 oscili 0.25, icps * 5.4
  asig = (a1 + a2 + a3) * aenv * p5
  aL = asig * sqrt(1 - ipan)
  aR = asig * sqrt(ipan)
  outs aL, aR
  gaRevL += aL * 0.6
  gaRevR += aR * 0.6
endin

instr 99 ; reverb
  aL, aR reverbsc gaRevL, gaRevR, 0.88, 9000
  outs aL * 0.5, aR * 0.5
  clear gaRevL, gaRevR
endin
</CsInstruments>
<CsScore>
i1 0 120
i99 0 126
e
</CsScore>
</CsoundSynthesizer>
