import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ApiError, api, isApiError, type Me } from './api.ts';
import { paths, useRouter } from './router.tsx';

export const meKey = ['me'] as const;

/** The signed-in user, `null` when nobody is signed in (the API answers 401). */
export function useMe() {
  return useQuery<Me | null, ApiError>({
    queryKey: meKey,
    queryFn: async () => {
      try {
        return await api.me();
      } catch (error) {
        if (isApiError(error, 401)) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export const homeOf = (me: Me): string => (me.kind === 'partner' ? paths.customers : paths.mySubscriptions);

export const isAdminAgent = (me: Me): boolean => me.kind === 'partner' && me.roles.includes('admin_agent');

export function useSignIn() {
  const queryClient = useQueryClient();
  const { navigate } = useRouter();
  return useMutation<Me, ApiError, { email: string; password: string }>({
    mutationFn: ({ email, password }) => api.signIn(email, password),
    onSuccess: (me) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
      queryClient.setQueryData(meKey, me);
      navigate(nextPath() ?? homeOf(me), { replace: true });
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const { navigate } = useRouter();
  return useMutation<void, ApiError>({
    mutationFn: async () => {
      try {
        await api.signOut();
      } catch (error) {
        // An already-expired session is as good as signed out.
        if (!isApiError(error, 401)) throw error;
      }
    },
    onSuccess: () => {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
      navigate(paths.login, { replace: true });
    },
  });
}

/** `?next=` on the sign-in page: where the visitor was going. Same-origin paths only. */
function nextPath(): string | null {
  const next = new URLSearchParams(window.location.search).get('next');
  if (next === null || !/^\/(?!\/)/.test(next) || next.startsWith('/login')) return null;
  return next;
}
