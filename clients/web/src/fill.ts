// A text with its placeholders filled: "$0 por $1" with ("Casos", "Estado")
// is "Casos por Estado" (the CLI's messages use the same "$n" form).
export function fill(text: string, ...args: string[]): string {
  return text.replace(/\$(\d)/g, (m, n: string) => args[Number(n)] ?? m);
}
