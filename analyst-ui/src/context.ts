import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api, SessionUser } from './api.ts';

export interface Workspace {
  api: Api;
  user: SessionUser;
  /** Claims the next item and opens it; says so on Home when nothing waits. */
  next: () => Promise<void>;
  /** Items this tab claimed with "Next" and has not decided or left yet. */
  claimed: Set<number>;
  /** A one-time message for Home ("nothing waits"). */
  homeNotice: string;
}

export const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace outside a signed-in workspace');
  return workspace;
}
