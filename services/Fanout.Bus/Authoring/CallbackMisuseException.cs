using Fanout.Bus.Poison;

namespace Fanout.Bus.Authoring;

/// <summary>
/// A callback was named in the wrong role: its class expects one channel's payload and got another's (a
/// <see cref="FinalCallback"/> named in <c>on_target</c>, a <see cref="TargetCallback"/> in <c>on_final</c>), or the
/// payload does not bind to its request type. Fixed by changing the run, never by retrying the message.
/// </summary>
public sealed class CallbackMisuseException(
    string callback, Type serviceType, string receivedChannel, string expected, Exception? inner = null)
    : UnprocessableMessageException(
        $"Callback '{callback}' ({serviceType.Name}) received a {receivedChannel} payload but expects {expected}; " +
        "name it in the list that matches its class (on_target for per-target payloads, on_final for final ones). " +
        "The message is not retried.", inner)
{
    public string Callback { get; } = callback;
    public string ReceivedChannel { get; } = receivedChannel;
    public string Expected { get; } = expected;
}
