import { Construct } from 'constructs';
import { IssueCollector } from '../errors';

/**
 * Throws the issues found while constructing `construct`, after detaching it from the tree: a
 * construct that failed validation must not linger half-built where the lab collects its parts.
 */
export function throwIfInvalid(construct: Construct, issues: IssueCollector): void {
  if (issues.issues.length === 0) return;
  construct.node.scope?.node.tryRemoveChild(construct.node.id);
  issues.throwIfAny();
}
