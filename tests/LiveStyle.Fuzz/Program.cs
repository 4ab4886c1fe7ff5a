using LiveStyle.Fuzz;
using SharpFuzz;

// livestyle-fuzz run <target>          under afl-fuzz (scripts/fuzz.sh): one input per execution, from stdin or AFL's file
// livestyle-fuzz seeds <target> <dir>  writes the target's starting corpus, made here from nothing in ../shared
// livestyle-fuzz replay <target> <file>...  runs saved inputs once each and says what became of them
if (args.Length < 2 || FuzzTargets.Find(args[1]) is not { } target || (args[0] != "run" && args.Length < 3))
{
    Console.Error.WriteLine($"usage: livestyle-fuzz run|seeds|replay <target> [dir|files]; targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}
using (target)
{
    switch (args[0])
    {
        case "run":
            Fuzzer.Run(stream =>
            {
                using var bytes = new MemoryStream();
                stream.CopyTo(bytes);
                target.Run(bytes.ToArray());
            });
            return 0;
        case "seeds":
            Directory.CreateDirectory(args[2]);
            foreach (var (name, bytes) in target.Seeds()) File.WriteAllBytes(Path.Combine(args[2], name), bytes);
            return 0;
        case "replay":
            foreach (var file in args[2..])
                Console.WriteLine($"{Path.GetFileName(file)}: {target.Outcome(File.ReadAllBytes(file))}");
            return 0;
        default:
            Console.Error.WriteLine($"unknown mode {args[0]}: run, seeds or replay");
            return 2;
    }
}
