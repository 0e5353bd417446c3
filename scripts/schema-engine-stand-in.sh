#!/bin/sh
# Not Prisma's schema engine: scripts/prisma-generate.ts names this file so that
# `prisma generate` does not download the native engine, which it never runs.
echo "This project has no native Prisma schema engine: apply migrations with \`npm run db:migrate\`, write them with \`npm run db:diff\`." >&2
exit 1
