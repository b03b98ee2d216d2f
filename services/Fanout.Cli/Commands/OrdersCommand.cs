using System.CommandLine;
using Fanout.Bus.Naming;
using Fanout.Bus.Requests;
using Fanout.Cli.Broker;
using Fanout.Cli.Input;
using Fanout.Cli.Rendering;
using Fanout.Contracts;
using MassTransit;
using Spectre.Console;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout orders</c>: the FIFO orders, over the bus (the FIFO registry answers).</summary>
public static class OrdersCommand
{
    const string Registry = "the FIFO registry (Fanout.Fifo)";

    public static Command Create(CliConsole console) => HelpWithExamples.With(new Command("orders", """
        FIFO orders: strictly sequential jobs, one at a time per FIFO.
        """)
    {
        new Submit(console), new List(console), new Show(console), new Discard(console), new Tail(console),
    }, "fanout orders submit '{\"customer\":\"acme\"}'\nfanout orders list --status standby\nfanout orders tail");

    static readonly Argument<string> OrderId = new("order-id") { Description = "The order's id (ord-…)" };

    sealed class Submit : CliCommand
    {
        static readonly Argument<string?> Parameters = new("parameters")
            { Description = "The order's parameters as JSON", Arity = ArgumentArity.ZeroOrOne };
        static readonly Option<string?> File = new("--file", "-f")
            { Description = "Read the parameters from a file (- for stdin)" };
        static readonly Option<string> Fifo = new("--fifo")
            { Description = "The FIFO to queue on", DefaultValueFactory = _ => "orders" };

        public Submit(CliConsole console) : base(console, "submit", """
            Queue an order; it is stored as standby and answered at once.
            """, examples: "fanout orders submit '{\"customer\":\"acme\",\"work_ms\":2000}'\n" +
                "fanout orders submit --fifo invoices --file order.json --json")
        {
            Add(Parameters);
            Add(File);
            Add(Fifo);
        }

        protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            var fifo = parse.GetValue(Fifo)!;
            if (ServiceNames.Problem(fifo) is { } problem)
                throw CliException.Usage($"--fifo: {problem}");
            var parameters = (parse.GetValue(Parameters), parse.GetValue(File)) switch
            {
                ({ } json, null) => JsonInput.Parse(json, "parameters"),
                (null, { } file) => JsonInput.ReadFile(file),
                (null, null) => throw CliException.Usage("give the parameters as JSON, or --file"),
                _ => throw CliException.Usage("give the parameters either as an argument or with --file, not both"),
            };
            await using var bus = await CliBus.ConnectAsync(Broker(parse), cancellationToken);
            var order = await bus.RequestAsync<SubmitOrder, OrderDocument>(
                new SubmitOrder { Fifo = fifo, Parameters = parameters }, Registry, cancellationToken);
            if (Console.Json)
                Console.WriteJson(order);
            else
                Console.Output.WriteLine(order.OrderId);
            return ExitCodes.Ok;
        }
    }

    sealed class List : CliCommand
    {
        static readonly Option<string?> Status = new("--status")
            { Description = $"Only orders in this status: {string.Join(", ", OrderStates.All)}" };
        static readonly Option<string?> Fifo = new("--fifo") { Description = "Only orders of this FIFO" };
        static readonly Option<int> Limit = new("--limit", "-n")
        {
            Description = $"At most this many ({ListLimit.Min} to {ListLimit.Max})", DefaultValueFactory = _ => 20,
        };

        public List(CliConsole console) : base(console, "list", """
            List orders, newest first.
            """, examples: "fanout orders list\nfanout orders list --status discarded --fifo invoices --json")
        {
            Status.AcceptOnlyFromAmong([.. OrderStates.All]);
            Add(Status);
            Add(Fifo);
            Add(Limit);
        }

        protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            var limit = parse.GetValue(Limit);
            if (ListLimit.Problem(limit, "--limit") is { } problem)
                throw CliException.Usage(problem);
            await using var bus = await CliBus.ConnectAsync(Broker(parse), cancellationToken);
            var list = await bus.RequestAsync<ListOrders, OrderList>(
                new ListOrders { Status = parse.GetValue(Status), Fifo = parse.GetValue(Fifo), Limit = limit },
                Registry, cancellationToken);
            if (Console.Json)
                Console.WriteJson(list);
            else if (list.Items.Count == 0)
                Console.Human.WriteLine("no orders");
            else
                Console.Human.Write(OrderViews.List(list.Items));
            return ExitCodes.Ok;
        }
    }

    sealed class Show : CliCommand
    {
        public Show(CliConsole console) : base(console, "show", """
            Show one order.
            """, examples: "fanout orders show ord-0a1b… --json")
        {
            Add(OrderId);
        }

        protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            var id = parse.GetValue(OrderId)!;
            await using var bus = await CliBus.ConnectAsync(Broker(parse), cancellationToken);
            var response = await bus.RequestAsync<GetOrder, OrderDocument, OrderNotFound>(
                new GetOrder { OrderId = id }, Registry, cancellationToken);
            if (!response.Is(out Response<OrderDocument>? found))
                throw CliException.Failed($"no order '{id}'");
            if (Console.Json)
                Console.WriteJson(found.Message);
            else
                Console.Human.Write(OrderViews.One(found.Message));
            return ExitCodes.Ok;
        }
    }

    sealed class Discard : CliCommand
    {
        public Discard(CliConsole console) : base(console, "discard", """
            Discard an order still in standby; the worker will skip it. Fails once the order started.
            """, examples: "fanout orders discard ord-0a1b…")
        {
            Add(OrderId);
        }

        protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            var id = parse.GetValue(OrderId)!;
            await using var bus = await CliBus.ConnectAsync(Broker(parse), cancellationToken);
            var outcome = await bus.RequestAsync<DiscardOrder, DiscardOutcome>(
                new DiscardOrder { OrderId = id }, Registry, cancellationToken);
            if (Console.Json)
                Console.WriteJson(outcome);
            return outcome.Outcome switch
            {
                DiscardOutcome.Discarded => Done(),
                DiscardOutcome.NotFound => throw CliException.Failed($"no order '{id}'"),
                _ => throw CliException.Failed(
                    $"order '{id}' is {outcome.Order?.Status}; only an order in standby can be discarded"),
            };

            int Done()
            {
                Console.Human.WriteLine($"discarded {id}");
                return ExitCodes.Ok;
            }
        }
    }

    sealed class Tail : CliCommand
    {
        public Tail(CliConsole console) : base(console, "tail", """
            Follow every order's status changes until Ctrl-C: a line per change, or with --json one JSON line each.
            """, examples: "fanout orders tail --json")
        {
        }

        protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            EventFeed<OrderStatusChanges> feed = null!;
            await using var bus = await CliBus.ConnectAsync(Broker(parse), s => feed = s.Follow<OrderStatusChanges>(),
                cancellationToken);
            if (!Console.Json)
                Console.Human.MarkupLine("[grey]following order status changes; Ctrl-C to stop[/]");
            try
            {
                // Each change of each published batch (an intake's, or what a worker stored meanwhile), in order.
                await foreach (var batch in feed.ReadAllAsync(cancellationToken))
                    foreach (var change in batch.Changes)
                        if (Console.Json)
                            Console.WriteJson(change.Order, oneLine: true);
                        else
                            Console.Human.WriteLine(OrderViews.Line(change.Order));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            return ExitCodes.Ok;
        }
    }
}
