using System.Text;
using CsPyLive.Osc;

namespace CsPyLive.Tests.Osc;

public sealed class OscPatternTests
{
    [Theory]
    [InlineData("/1/fader1", "/1/fader1", true)]
    [InlineData("/1/fader1", "/1/fader2", false)]
    [InlineData("/1/fader?", "/1/fader7", true)]
    [InlineData("/1/fader?", "/1/fader10", false)]
    [InlineData("/1/*", "/1/fader1", true)]
    [InlineData("/*", "/1/fader1", false)]
    [InlineData("/*/fader1", "/2/fader1", true)]
    [InlineData("/1/fa*r*", "/1/fader1", true)]
    [InlineData("/1/fader[1-3]", "/1/fader2", true)]
    [InlineData("/1/fader[1-3]", "/1/fader4", false)]
    [InlineData("/1/fader[!1-3]", "/1/fader4", true)]
    [InlineData("/1/fader[!1-3]", "/1/fader1", false)]
    [InlineData("/1/fader[abc]", "/1/faderb", true)]
    [InlineData("/1/{fader,rotary}1", "/1/rotary1", true)]
    [InlineData("/1/{fader,rotary}1", "/1/push1", false)]
    [InlineData("/{1,2}/{a,b}*", "/2/bee", true)]
    [InlineData("/1/fader[", "/1/fader1", false)]
    [InlineData("/1/{fader", "/1/fader", false)]
    [InlineData("/a*b*c*d*e*", "/aXbXcXdXeX", true)]
    [InlineData("/*/*", "/a/b", true)]
    [InlineData("/a/*", "/a", false)]
    public void Matches_as_osc_1_0_says(string pattern, string address, bool expected) =>
        Assert.Equal(expected, OscPattern.Matches(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(address)));

    [Fact]
    public void A_hostile_pattern_is_answered_quickly()
    {
        var pattern = Encoding.UTF8.GetBytes("/" + string.Concat(Enumerable.Repeat("*a", 60)) + "b");
        var address = Encoding.UTF8.GetBytes("/" + new string('a', 200));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(OscPattern.Matches(pattern, address));
        Assert.True(watch.ElapsedMilliseconds < 500, $"{watch.ElapsedMilliseconds} ms");
    }
}
