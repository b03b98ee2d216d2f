using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Fanout.Cli.Commands;

/// <summary>
/// The standard help, followed by the command's examples. Kept out of the descriptions so the command list stays
/// one line per command.
/// </summary>
public sealed class HelpWithExamples(HelpAction standard) : SynchronousCommandLineAction
{
    static readonly ConditionalWeakTable<Command, string> Examples = new();

    public static T With<T>(T command, string examples) where T : Command
    {
        Examples.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>Replaces the root's help action so every command's help ends with its examples.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction standard)
            help.Action = new HelpWithExamples(standard);
    }

    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = standard.Invoke(parseResult);
        if (Examples.TryGetValue(parseResult.CommandResult.Command, out var examples))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var line in examples.Split('\n'))
                output.WriteLine("  " + line.TrimEnd());
            output.WriteLine();
        }

        return exitCode;
    }
}
