import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  list: {
    margin: `${tokens.spacingVerticalXS} 0 0`,
    paddingInlineStart: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
  },
});

/**
 * What an Admin agent's change means, said before it is saved: a title and its points, already
 * translated (customer permissions, cost management, guardrails).
 */
export function ConsequencesBar(props: {
  intent: 'info' | 'warning';
  title: string;
  points: string[];
  testId: string;
}) {
  const styles = useStyles();
  return (
    <MessageBar intent={props.intent} layout="multiline" data-testid={props.testId}>
      <MessageBarBody>
        <MessageBarTitle>{props.title}</MessageBarTitle>
        <ul className={styles.list}>
          {props.points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}
