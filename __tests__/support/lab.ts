import { Testing } from 'cdktf';
import { LabStack, ValidationError, ValidationIssue } from '../../lib';

/** A fresh lab stack in a test app (cdktf's Testing app writes only to a temp directory). */
export function newLab(id = 'lab'): LabStack {
  return new LabStack(Testing.app(), id);
}

/** Runs `build` and returns the issues of the ValidationError it throws; fails if it does not throw one. */
export function issuesOf(build: () => unknown): ValidationIssue[] {
  try {
    build();
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}
