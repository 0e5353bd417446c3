// The whole GraphQL schema: importing a domain registers its types and fields.
import { builder } from './builder.js';
import './common/enums.js';
import './node.js';
import './organisation/types.js';
import './organisation/queries.js';
import './controller-entity/types.js';
import './contact/types.js';
import './supervisory-authority/types.js';
import './notice/types.js';
import './processor/types.js';
import './processor/queries.js';
import './processor/mutations.js';
import './controller-entity/mutations.js';
import './contact/mutations.js';
import './retention-rule/mutations.js';
import './organisation/mutations.js';
import './supervisory-authority/mutations.js';
import './changes/subscriptions.js';
import './audit/types.js';
import './notice/search.js';
import './notice/mutations.js';
import './privacy/types.js';
import './privacy/completeness.js';
import './privacy/mutations.js';
import './retention-rule/types.js';

export const schema = builder.toSchema({ sortSchema: false });
