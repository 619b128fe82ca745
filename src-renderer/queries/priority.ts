// Which lane a query travels in by default: a person check during a stop is an officer-safety query.
import type { Priority } from '../../src-shared/protocol.ts';
import type { QueryKind } from '../../src-shared/queries.ts';

export const DEFAULT_PRIORITY: Record<QueryKind, Priority> = {
  plate: 'routine',
  vin: 'routine',
  person: 'officer_safety',
  person_oln: 'officer_safety',
  licence: 'routine',
  licence_name: 'routine',
  gun: 'routine',
  article: 'routine',
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  emergency: 'Emergency',
  officer_safety: 'Officer safety',
  routine: 'Routine',
};
