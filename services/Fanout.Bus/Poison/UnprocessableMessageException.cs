namespace Fanout.Bus.Poison;

/// <summary>
/// A message that can never be processed as sent (a refused plain-JSON request, a callback in the wrong role). It is
/// moved to the queue's <c>_error</c> queue at once with its message as the reason: retrying cannot change the outcome.
/// </summary>
public class UnprocessableMessageException(string message, Exception? inner = null) : Exception(message, inner);
