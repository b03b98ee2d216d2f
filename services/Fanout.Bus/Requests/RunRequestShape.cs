namespace Fanout.Bus.Requests;

/// <summary>
/// The JSON shapes a run request arrives in; each accepts its own set of fields (see <see cref="RunRequestFields"/>).
/// </summary>
public enum RunRequestShape
{
    /// <summary>A fan-out: the gateway's <c>POST /v1/fanouts</c> body, <c>fanout invoke --file</c>.</summary>
    Fanout,

    /// <summary>
    /// A parallel execution: the gateway's <c>POST /v1/parallel</c> body, <c>fanout parallel --file</c>.
    /// </summary>
    Parallel,

    /// <summary>
    /// The <c>InvokeFanout</c> message itself, as plain JSON; its <c>mode</c> field picks the pattern.
    /// </summary>
    Message,
}
