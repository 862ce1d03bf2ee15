import type { Id } from '../model/entities.js';

/**
 * Guest OS types, the catalogue templates and ISOs name (CloudStack's guest_os table, a short
 * selection of it). The ids are fixed so that a template keeps its OS type across restarts and
 * clouds; they end in the number of the type, in the UUID form API clients expect.
 */

export interface OsCategory {
  id: Id;
  name: string;
}

export interface OsType {
  id: Id;
  description: string;
  categoryId: Id;
}

const categoryId = (n: number): Id => `00000000-0000-4000-8000-0000000c${n.toString(16).padStart(4, '0')}`;
const osTypeId = (n: number): Id => `00000000-0000-4000-8000-00000005${n.toString(16).padStart(4, '0')}`;

export const OS_CATEGORIES: readonly OsCategory[] = [
  { id: categoryId(1), name: 'CentOS' },
  { id: categoryId(2), name: 'Debian' },
  { id: categoryId(3), name: 'Oracle' },
  { id: categoryId(4), name: 'RedHat' },
  { id: categoryId(5), name: 'SUSE' },
  { id: categoryId(6), name: 'Windows' },
  { id: categoryId(7), name: 'Other' },
  { id: categoryId(8), name: 'Ubuntu' },
  { id: categoryId(9), name: 'Rocky Linux' },
];

const [centos, debian, oracle, redhat, suse, windows, other, ubuntu, rocky] = OS_CATEGORIES.map((c) => c.id) as [Id, Id, Id, Id, Id, Id, Id, Id, Id];

export const OS_TYPES: readonly OsType[] = [
  { id: osTypeId(1), description: 'CentOS 7', categoryId: centos },
  { id: osTypeId(2), description: 'Debian GNU/Linux 11 (64-bit)', categoryId: debian },
  { id: osTypeId(3), description: 'Debian GNU/Linux 12 (64-bit)', categoryId: debian },
  { id: osTypeId(4), description: 'Oracle Linux 9', categoryId: oracle },
  { id: osTypeId(5), description: 'Red Hat Enterprise Linux 9', categoryId: redhat },
  { id: osTypeId(6), description: 'SUSE Linux Enterprise Server 15 (64-bit)', categoryId: suse },
  { id: osTypeId(7), description: 'Windows Server 2019 (64-bit)', categoryId: windows },
  { id: osTypeId(8), description: 'Windows Server 2022 (64-bit)', categoryId: windows },
  { id: osTypeId(9), description: 'Other Linux (64-bit)', categoryId: other },
  { id: osTypeId(10), description: 'Other (64-bit)', categoryId: other },
  { id: osTypeId(11), description: 'Ubuntu 20.04 LTS', categoryId: ubuntu },
  { id: osTypeId(12), description: 'Ubuntu 22.04 LTS', categoryId: ubuntu },
  { id: osTypeId(13), description: 'Ubuntu 24.04 LTS', categoryId: ubuntu },
  { id: osTypeId(14), description: 'Rocky Linux 9', categoryId: rocky },
];

/** The OS type of templates registered without one (the scenario's, say). */
export const DEFAULT_OS_TYPE_ID: Id = osTypeId(9);

const BY_ID = new Map(OS_TYPES.map((t) => [t.id, t]));
const CATEGORY_BY_ID = new Map(OS_CATEGORIES.map((c) => [c.id, c]));

export function osTypeById(id: Id): OsType | undefined {
  return BY_ID.get(id);
}

export function osCategoryById(id: Id): OsCategory | undefined {
  return CATEGORY_BY_ID.get(id);
}
