import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { policies } from '../../domain/policies.ts';
import { getBillingProfile, updateBillingProfile } from '../../services/billing-profile.ts';
import { addCustomerUser, listCustomerUsers } from '../../services/customer-users.ts';
import { createCustomer } from '../../services/customers.ts';
import {
  BillingProfile,
  BillingProfilePatch,
  billingProfileView,
  CreatedCustomer,
  CreatedUser,
  CustomerParams,
  CustomerUserList,
  createdUserView,
  customerUserView,
  ErrorAnswer,
  IfMatchHeaders,
  NewCustomerBody,
  NewUserBody,
} from './account-schemas.ts';
import { customerDetail } from './views.ts';

const tags = ['mitra: partner jobs'];
const errors = { 400: ErrorAnswer, 403: ErrorAnswer, 404: ErrorAnswer, 409: ErrorAnswer };

/**
 * The partner's own jobs on a customer's account (R20): add a customer with its first user, add
 * users, read and edit the billing profile. Thin adapters over the services; the schemas type them.
 */
export const customerAccountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post(
    '/customers',
    {
      config: { policy: 'customersCreate' },
      schema: {
        tags,
        summary: 'Add a customer with its first user (the initial password is answered once)',
        body: NewCustomerBody,
        response: { 201: CreatedCustomer, ...errors },
      },
    },
    async (request, reply) => {
      const { user, ...b } = request.body;
      const customer = await createCustomer(db, request.call(), { ...b, firstUser: user });
      // The answer carries a password: no cache may keep it.
      return reply
        .status(201)
        .header('Cache-Control', 'no-store')
        .send({ customer: customerDetail(customer), user: createdUserView(customer.firstUser!) });
    },
  );

  app.get(
    '/customers/:id/users',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary: "The customer's users and their roles on its subscriptions",
        params: CustomerParams,
        response: { 200: CustomerUserList, 404: ErrorAnswer },
      },
    },
    async (request) => {
      const call = request.call();
      const users = await listCustomerUsers(db, call, request.params.id);
      return { items: users.map(customerUserView), canAdd: policies.customerUsersManage.allows(call.actor) };
    },
  );

  app.post(
    '/customers/:id/users',
    {
      config: { policy: 'customerUsersManage' },
      schema: {
        tags,
        summary: "Add a user to the customer's tenant (the initial password is answered once)",
        params: CustomerParams,
        body: NewUserBody,
        response: { 201: CreatedUser, ...errors },
      },
    },
    async (request, reply) => {
      const user = await addCustomerUser(db, request.call(), request.params.id, request.body);
      return reply.status(201).header('Cache-Control', 'no-store').send(createdUserView(user));
    },
  );

  app.get(
    '/customers/:id/billing-profile',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary: "The customer's billing profile, with its etag",
        params: CustomerParams,
        response: { 200: BillingProfile, 404: ErrorAnswer },
      },
    },
    async (request, reply) => {
      const call = request.call();
      const view = await getBillingProfile(db, call, request.params.id);
      reply.header('ETag', view.etag);
      return billingProfileView(view, policies.billingProfileEdit.allows(call.actor));
    },
  );

  app.patch(
    '/customers/:id/billing-profile',
    {
      config: { policy: 'billingProfileAttempt' },
      schema: {
        tags,
        summary:
          'Change the billing profile (Admin and Helpdesk agents; send If-Match with the etag you read). Country and currency are fixed.',
        params: CustomerParams,
        headers: IfMatchHeaders,
        body: BillingProfilePatch,
        response: { 200: BillingProfile, 412: ErrorAnswer, ...errors },
      },
    },
    async (request, reply) => {
      const view = await updateBillingProfile(db, request.call(), request.params.id, {
        changes: request.body,
        ifMatch: request.headers['if-match'],
      });
      reply.header('ETag', view.etag);
      return billingProfileView(view, true);
    },
  );
};
