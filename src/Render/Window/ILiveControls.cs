namespace LiveStyle.Render.Window;

/// <summary>What the window's keys and mouse ask for; the live command implements it.</summary>
public interface ILiveControls
{
    void SelectStyle(int index);
    void StepStyle(int delta);
    void StepStrength(float delta);
    void ToggleSplit();
    void MoveSplit(float x);
    void TogglePause();
    void Screenshot();
}
