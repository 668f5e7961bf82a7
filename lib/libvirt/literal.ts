/**
 * User text as a Terraform string literal: Terraform evaluates `${…}` and `%{…}` in JSON strings,
 * so a path or command line containing them would become an expression. `$${` and `%%{` are
 * Terraform's escapes for the literal characters.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
