using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CsPyLive.Python.Opcodes;

/// <summary>What an opcode does, read from its name at init ("pylcall3t" = local, call, 3 results, triggered).</summary>
internal enum OpcodeFamily : byte { Run, Exec, Eval, Assign, Call }

[Flags]
internal enum OpcodeFlags : ushort
{
    None = 0,
    Local = 1,            // pyl*: locals are the note's own dict
    Triggered = 2,        // *t: acts only when the trigger is nonzero
    InitTime = 4,         // *i: acts once, at init
    VariableResults = 8,  // pycalln: result variables are inputs, their count an input
    TargetIsCode = 16,    // Target is a code object (statements, an expression, a file) rather than a name
    OwnsLocals = 32,      // this opcode created INSDS.pylocal and releases it at note end
    DeinitRegistered = 64,
    Ready = 128,          // init succeeded; perf may run
}

/// <summary>
/// The part of an opcode's data block that is ours. Csound allocates the block (zeroed) per instrument instance;
/// it begins with OPDS, then <see cref="OpcodeBlock.ArgSlots"/> argument pointers (Csound fills as many as the
/// opcode has), then this. Everything the k-rate path needs is here, so a k-cycle touches no managed object.
/// Blocks are reused when Csound reuses an instance, so init must cope with leftovers of the previous note.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OpcodeState
{
    public nint HostData;     // csoundGetHostData: the Engine's GCHandle, for its log
    public nint Target;       // owned: an interned str (name) or a code object
    public nint Locals;       // borrowed from INSDS.pylocal (null for global opcodes)
    public nint ErrorType;    // the last reported error, to count repeats instead of printing them
    public nint ErrorHash;
    public long Repeats;
    public int Outputs;
    public int Inputs;
    public int TriggerSlot;   // slot of ktrigger, or -1
    public int ValueSlot;     // pyassign's value
    public int ResultSlot;    // first slot holding a result pointer
    public int Results;
    public int ArgSlot;       // first numeric call argument
    public int Args;
    public OpcodeFamily Family;
    public OpcodeFlags Flags;
}

/// <summary>Addressing inside a data block.</summary>
internal static unsafe class OpcodeBlock
{
    /// <summary>Argument pointers a block has room for (outputs + inputs). More would overrun the block.</summary>
    internal const int ArgSlots = 96;

    internal static readonly int Size = CsoundLayout.OpdsSize + ArgSlots * sizeof(nint) + sizeof(OpcodeState);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static OpcodeState* State(nint p) => (OpcodeState*)(p + CsoundLayout.OpdsSize + ArgSlots * sizeof(nint));

    /// <summary>The pointer Csound put in argument slot i (outputs first, then inputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double* Arg(nint p, int slot) => *(double**)(p + CsoundLayout.OpdsSize + slot * sizeof(nint));

    internal static nint Insds(nint p) => *(nint*)(p + CsoundLayout.OpdsInsdshead);

    internal static short InstrumentNumber(nint p)
    {
        var insds = Insds(p);
        return insds == 0 ? (short)0 : *(short*)(insds + CsoundLayout.InsdsInsno);
    }

    /// <summary>STRINGDAT.data of a string argument.</summary>
    internal static byte* StringArg(nint p, int slot) => *(byte**)Arg(p, slot);
}
