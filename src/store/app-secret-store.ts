/**
 * Secrets the program generates for itself (table `app_secrets`): written once, the first writer wins,
 * and every process reads the same value back. Values are never logged.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';

export class AppSecretStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The value stored under `name`; `value` is stored first when there is none (race-safe). */
  async getOrCreate(name: string, value: string): Promise<string> {
    await this.prisma.appSecret.createMany({ data: [{ name, value }], skipDuplicates: true });
    const row = await this.prisma.appSecret.findUnique({ where: { name } });
    if (!row) throw new Error(`app secret ${name} could not be stored`);
    return row.value;
  }
}
