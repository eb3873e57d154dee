using CsPyLive.Live;

namespace CsPyLive.Tests.Live;

public sealed class InstanceCounterTests
{
    [Fact]
    public void The_orchestras_instruments_are_found_by_number_and_name_once_each()
    {
        const string csd = """
            <CsoundSynthesizer>
            <CsInstruments>
            sr = 48000
            instr 1, 2 ; two at once
            endin
              instr Reverb
            endin
            instr +Late, 10
            endin
            ; instr 77 is a comment
            instr 1
            endin
            </CsInstruments>
            <CsScore>
            instr 5
            </CsScore>
            </CsoundSynthesizer>
            """;
        Assert.Equal(["1", "2", "Reverb", "Late", "10"], InstanceCounter.Instruments(csd));
    }
}
