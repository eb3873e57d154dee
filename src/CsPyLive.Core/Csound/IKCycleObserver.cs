namespace CsPyLive.Csound;

/// <summary>
/// Told of each k-cycle just before Csound performs it (after the actions due in it are applied), with the frame
/// of its first sample: where a clock sets the control channels that k-cycle reads. Performing thread; must not
/// allocate, block or throw.
/// </summary>
public interface IKCycleObserver
{
    void BeforeKCycle(long frame);
}
