using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Fanout.Tests.Architecture;

/// <summary>
/// Which namespace of our assemblies uses which, read from their IL: base types, interfaces, attributes, fields,
/// properties, events, method signatures, and in method bodies the locals, caught exceptions and every type,
/// method and field an instruction names. A nested type (closures and async state machines included) belongs to
/// its outermost type's namespace. IL holds no trace of a constant's use (it is copied in), so the source files'
/// <c>using</c> directives of our namespaces count too. Each edge keeps the references that make it, to say why.
/// An assembly's root namespace (<c>Fanout.Bus</c> in Fanout.Bus.dll) is its composition root: registration and
/// settings that wire up its sub-namespaces, so its uses of those sub-namespaces are not counted; its sub-namespaces'
/// uses of it are.
/// </summary>
public sealed partial class NamespaceGraph
{
    readonly Dictionary<string, Dictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Namespaces => _edges.Keys;

    public IEnumerable<string> DependenciesOf(string ns) =>
        _edges.TryGetValue(ns, out var targets) ? targets.Keys : [];

    /// <summary>The references ("From.Type → To.Type", using directives) that make the dependency.</summary>
    public IReadOnlyCollection<string> Reasons(string from, string to) =>
        _edges.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var reasons) ? reasons : [];

    /// <summary>
    /// The graph of the namespaces starting with <paramref name="prefix"/> in <paramref name="assemblies"/>, with the
    /// <c>using</c> directives of each assembly's project (<c>Name.csproj</c> under <paramref name="sourceRoot"/>).
    /// </summary>
    public static NamespaceGraph Read(IEnumerable<string> assemblies, string prefix, string sourceRoot)
    {
        var graph = new NamespaceGraph();
        foreach (var path in assemblies)
        {
            using var assembly = AssemblyDefinition.ReadAssembly(path);
            foreach (var type in assembly.MainModule.GetTypes())
            {
                var from = NamespaceOf(type);
                if (!from.StartsWith(prefix, StringComparison.Ordinal))
                    continue;
                graph._edges.TryAdd(from, new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal));
                foreach (var used in Uses(type).SelectMany(Constituents))
                {
                    var to = NamespaceOf(used);
                    var composes = from == assembly.Name.Name && to.StartsWith(from + ".", StringComparison.Ordinal);
                    if (to != from && !composes && to.StartsWith(prefix, StringComparison.Ordinal))
                        graph.Add(from, to, $"{Outermost(type).FullName} → {Outermost(used).FullName}");
                }
            }

            graph.AddUsings(assembly.Name.Name, sourceRoot, prefix);
        }

        return graph;
    }

    void AddUsings(string assemblyName, string sourceRoot, string prefix)
    {
        var project = Directory.EnumerateFiles(sourceRoot, assemblyName + ".csproj", SearchOption.AllDirectories)
            .SingleOrDefault() ?? throw new FileNotFoundException($"no {assemblyName}.csproj under {sourceRoot}");
        var directory = Path.GetDirectoryName(project)!;
        foreach (var file in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !Path.GetRelativePath(directory, f).Split(Path.DirectorySeparatorChar)
                         .Any(part => part is "bin" or "obj")))
        {
            var text = File.ReadAllText(file);
            if (FileNamespace().Match(text) is not { Success: true } declared)
                continue;
            var from = declared.Groups[1].Value;
            _edges.TryAdd(from, new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal));
            foreach (Match match in UsingDirective().Matches(text))
            {
                var to = match.Groups[1].Value;
                var composes = from == assemblyName && to.StartsWith(from + ".", StringComparison.Ordinal);
                if (to != from && !composes && to.StartsWith(prefix, StringComparison.Ordinal))
                    Add(from, to, $"{Path.GetRelativePath(sourceRoot, file)}: using {to}");
            }
        }
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^using\s+([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    /// <summary>A graph of the given dependencies, each with its own pair as the reason.</summary>
    public static NamespaceGraph Of(IEnumerable<(string From, string To)> dependencies)
    {
        var graph = new NamespaceGraph();
        foreach (var (from, to) in dependencies)
        {
            graph._edges.TryAdd(from, new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal));
            graph._edges.TryAdd(to, new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal));
            graph.Add(from, to, $"{from} → {to}");
        }

        return graph;
    }

    void Add(string from, string to, string reason)
    {
        var targets = _edges[from];
        if (!targets.TryGetValue(to, out var reasons))
            targets[to] = reasons = new SortedSet<string>(StringComparer.Ordinal);
        reasons.Add(reason);
    }

    static IEnumerable<TypeReference> Uses(TypeDefinition type)
    {
        if (type.BaseType is not null)
            yield return type.BaseType;
        foreach (var i in type.Interfaces)
            yield return i.InterfaceType;
        foreach (var t in Attributes(type).Concat(Constraints(type)))
            yield return t;
        foreach (var field in type.Fields)
        {
            yield return field.FieldType;
            foreach (var t in Attributes(field))
                yield return t;
        }

        foreach (var property in type.Properties)
        {
            yield return property.PropertyType;
            foreach (var t in Attributes(property))
                yield return t;
        }

        foreach (var e in type.Events)
            yield return e.EventType;
        foreach (var method in type.Methods)
        foreach (var t in Uses(method))
            yield return t;
    }

    static IEnumerable<TypeReference> Uses(MethodDefinition method)
    {
        yield return method.ReturnType;
        foreach (var p in method.Parameters)
            yield return p.ParameterType;
        foreach (var t in Attributes(method).Concat(Constraints(method)))
            yield return t;
        if (!method.HasBody)
            yield break;
        foreach (var variable in method.Body.Variables)
            yield return variable.VariableType;
        foreach (var handler in method.Body.ExceptionHandlers.Where(h => h.CatchType is not null))
            yield return handler.CatchType;
        foreach (var instruction in method.Body.Instructions)
        foreach (var t in OperandTypes(instruction))
            yield return t;
    }

    static IEnumerable<TypeReference> OperandTypes(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference type:
                yield return type;
                break;
            case MethodReference method:
                yield return method.DeclaringType;
                yield return method.ReturnType;
                foreach (var p in method.Parameters)
                    yield return p.ParameterType;
                if (method is GenericInstanceMethod generic)
                    foreach (var argument in generic.GenericArguments)
                        yield return argument;
                break;
            case FieldReference field:
                yield return field.DeclaringType;
                yield return field.FieldType;
                break;
        }
    }

    static IEnumerable<TypeReference> Attributes(ICustomAttributeProvider provider) =>
        provider.CustomAttributes.SelectMany(a =>
            a.ConstructorArguments.Concat(a.Properties.Select(p => p.Argument)).Concat(a.Fields.Select(f => f.Argument))
                .Select(argument => argument.Value).OfType<TypeReference>()
                .Prepend(a.AttributeType));

    static IEnumerable<TypeReference> Constraints(IGenericParameterProvider provider) =>
        provider.GenericParameters.SelectMany(p => p.Constraints.Select(c => c.ConstraintType));

    /// <summary>A type and the types it is made of: generic arguments, array and reference element types.</summary>
    static IEnumerable<TypeReference> Constituents(TypeReference type)
    {
        switch (type)
        {
            case GenericParameter:
                yield break;
            case GenericInstanceType generic:
                foreach (var t in Constituents(generic.ElementType))
                    yield return t;
                foreach (var t in generic.GenericArguments.SelectMany(Constituents))
                    yield return t;
                break;
            case TypeSpecification specification: // arrays, by-refs, pointers, modifiers
                foreach (var t in Constituents(specification.ElementType))
                    yield return t;
                break;
            default:
                yield return type;
                break;
        }
    }

    static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
            type = type.DeclaringType;
        return type;
    }

    static string NamespaceOf(TypeReference type) => Outermost(type).Namespace;
}
