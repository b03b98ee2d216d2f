namespace Fanout.Bus.Resilience;

/// <summary>How the process ends itself (<see cref="Environment.Exit"/>); a test puts a recorder there.</summary>
public sealed class ProcessExit(Action<int> exit)
{
    public void Exit(int code) => exit(code);
}
