using ChatApp;

ChatApplication.Build(args).Run();

public partial class Program;
